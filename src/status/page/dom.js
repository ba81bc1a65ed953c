// Building the page's elements. Every string goes in as text, never as HTML, so a check's detail can never become
// markup; the CSP forbids inline script and style besides.

const SVG = 'http://www.w3.org/2000/svg';

/** The element of the page with this id. */
export const byId = (id) => document.getElementById(id);

/** Creates an element with attributes and children (strings become text, never HTML). */
export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** Creates an SVG element with attributes. */
export function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}
