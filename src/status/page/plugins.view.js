// The plugin diagnostics: how many plugins can run, what to install for the others, and a table of every plugin.

import { byId, el } from './dom.js';

/** The ways to install one missing item; a `docs` line is a link, the others are commands. */
function installLines(install) {
  return el(
    'ul',
    { class: 'install' },
    ...Object.entries(install || {}).map(([how, line]) =>
      el('li', {}, `${how}: `, how === 'docs' ? el('a', { href: line }, line) : el('code', {}, line)),
    ),
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

/** Shows the answer of `GET /plugins`: the summary, the "to install" table when something is missing, the plugins. */
export function renderPlugins(diagnostics) {
  const summary = el(
    'p',
    {},
    `${diagnostics.runnable} of ${diagnostics.total} plugins runnable · ${diagnostics.blocked} blocked · ` +
      `${diagnostics.disabled} disabled · ${diagnostics.invalid} invalid`,
  );
  const parts = [summary];
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

/** A note in place of the diagnostics: loading, or why they are unavailable. */
export function showPluginsNote(text) {
  byId('plugins').replaceChildren(el('p', { class: 'meta' }, text));
}
