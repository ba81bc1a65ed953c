// Building the page's elements. Every string goes in as text, never as HTML, so a check's detail can never become
// markup; the CSP forbids inline script and style besides. Every string is also shown with its control and format
// characters escaped (escape.js): a plugin named "\u202egnp.exe" must not read as "exe.png" or reorder its row.

import { escapeControl } from './escape.js';

const SVG = 'http://www.w3.org/2000/svg';

/** The element of the page with this id. */
export const byId = (id) => document.getElementById(id);

/** Creates an element with attributes and children (strings become escaped text, never HTML). */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, escapeControl(value));
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? escapeControl(child) : child);
  }
  return node;
}

/** Sets the text of `node`, escaped as in {@link el}. */
export function setText(node, text) {
  node.textContent = escapeControl(text);
}

/** Creates an SVG element with attributes. */
export function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}
