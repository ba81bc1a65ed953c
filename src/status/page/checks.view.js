// A card per check: its status, detail, latency and own values, its items (a replica each), and its latency chart.

import { byId, el } from './dom.js';
import { checkItems, checkValues, LABELS, ms } from './format.js';
import { sparkline } from './sparkline.view.js';

/** The items of a check that lists several, one line each with its own status; nothing for other checks. */
function items(check) {
  const list = checkItems(check);
  if (list.length === 0) return null;
  return el(
    'ul',
    { class: 'items' },
    ...list.map((item) =>
      el(
        'li',
        { class: 'item', 'data-status': item.status },
        el('span', { class: 'item-name' }, item.name),
        ' ',
        el('span', { class: 'pill' }, LABELS[item.status]),
        el('span', { class: 'fields' }, [item.detail, ...item.values].filter(Boolean).join(' · ')),
      ),
    ),
  );
}

/** The card of one check of the report, with its series over the service's window. */
function card(key, check, points, window) {
  const extra = checkValues(check).join(' · ');
  return el(
    'li',
    { class: 'card', 'data-status': check.status },
    el('div', { class: 'card-head' }, el('h3', {}, key), el('span', { class: 'pill' }, LABELS[check.status])),
    el('p', { class: 'detail' }, check.detail || 'Responding normally'),
    el('p', { class: 'fields' }, `latency ${ms(check.latency_ms)}${extra ? ` · ${extra}` : ''}`),
    items(check),
    sparkline(key, points, window),
  );
}

/** The cards of `state`'s report, in the report's order; nothing before the first report. */
export function renderChecks(state) {
  const report = state.report;
  if (!report) return;
  byId('checks').replaceChildren(
    ...Object.entries(report.checks).map(([key, check]) => card(key, check, state.series[key] || [], state.window)),
  );
}

/** Removes every card (the page is being locked). */
export function clearChecks() {
  byId('checks').replaceChildren();
}
