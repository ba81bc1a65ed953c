// The plugin diagnostics: how many plugins can run, what to install for the others, and a table of every plugin.

import { byId, el } from './dom.js';

/**
 * Whether `text` is an absolute http(s) URL, the only kind of link the page makes. A `docs` line may be a sentence
 * ("install … and make sure it is on PATH") or anything a manifest put there: as an href it would be a same-origin
 * path, or a `javascript:` or `data:` URL.
 */
export function isWebUrl(text) {
  if (typeof text !== 'string' || !/^https?:\/\//i.test(text)) return false;
  try {
    const { protocol } = new URL(text);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The ways to install one missing item: a `docs` URL is a link, a `docs` sentence is text, the others commands. */
function installLines(install) {
  const shown = (how, line) => {
    if (how !== 'docs') return el('code', {}, line);
    return isWebUrl(line) ? el('a', { href: line }, line) : el('span', {}, line);
  };
  return el(
    'ul',
    { class: 'install' },
    ...Object.entries(install || {}).map(([how, line]) => el('li', {}, `${how}: `, shown(how, line))),
  );
}

/** A captioned table in a region that scrolls sideways on a narrow screen (and can be scrolled with the keyboard). */
function scrollingTable(label, caption, head, rows) {
  return el(
    'div',
    { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' },
    el(
      'table',
      {},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))),
    ),
  );
}

/** "2 of 13 plugins runnable · 10 blocked · 1 disabled · 0 invalid", from the diagnostics or the report's check. */
function summaryLine(counts) {
  return el(
    'p',
    {},
    `${counts.runnable} of ${counts.total} plugins runnable · ${counts.blocked} blocked · ` +
      `${counts.disabled} disabled · ${counts.invalid} invalid`,
  );
}

/** Shows the answer of `GET /plugins`: the summary, the "to install" table when something is missing, the plugins. */
export function renderPlugins(diagnostics) {
  const parts = [summaryLine(diagnostics)];
  if (diagnostics.missing && diagnostics.missing.length) {
    parts.push(
      scrollingTable(
        'What to install',
        'To install',
        ['Missing', 'Needed by', 'How to install'],
        diagnostics.missing.map((item) => [
          el('span', {}, el('code', {}, item.name), ` (${item.kind.replace('_', ' ')})`),
          item.plugins.join(', '),
          installLines(item.install),
        ]),
      ),
    );
  }
  parts.push(
    scrollingTable(
      'Plugins',
      'Plugins',
      ['Plugin', 'State', 'Missing'],
      (diagnostics.plugins || []).map((plugin) => [
        el('span', {}, plugin.name, ' ', el('code', {}, plugin.id)),
        el('span', { class: 'pill', 'data-status': plugin.state === 'runnable' ? 'ok' : 'error' }, plugin.state),
        plugin.missing.map((m) => m.name).join(', ') || '—',
      ]),
    ),
  );
  byId('plugins').replaceChildren(...parts);
}

/**
 * The counts of the report's plugins check, until the diagnostics answer: what the page already knows, and a word
 * that the list is on its way. Nothing when the report has no counts.
 */
export function renderPluginCounts(check) {
  if (!check || typeof check.total !== 'number') return;
  byId('plugins').replaceChildren(summaryLine(check), el('p', { class: 'meta' }, 'Fetching the list of plugins…'));
}

/** A note in place of the diagnostics: waiting, or why they are unavailable. */
export function showPluginsNote(text) {
  byId('plugins').replaceChildren(el('p', { class: 'meta' }, text));
}
