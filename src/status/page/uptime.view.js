// Uptime per check and for the service over 24 h, 7 d and 30 d, and a bar of the last 30 UTC days, from the
// durable history. A day or window with nothing evaluated is unknown, drawn and worded as such, never as up.

import { apiFetch, TokenRefused } from './api.js';
import { byId, el, svg } from './dom.js';

const WINDOWS = ['24h', '7d', '30d'];
const WINDOW_LABELS = { '24h': '24 h', '7d': '7 d', '30d': '30 d' };
const BAR = { width: 8, gap: 2, height: 24 };

/** A percentage as shown: "99.95 %", or "unknown" when nothing was evaluated. */
const shown = (value) => (value === null || value === undefined ? 'unknown' : `${value} %`);

/** How a day is drawn: all up, mostly up (99 % or more), down, or unknown (nothing evaluated). */
function dayState(value) {
  if (value === null || value === undefined) return 'unknown';
  if (value === 100) return 'up';
  return value >= 99 ? 'partial' : 'down';
}

/** The 30-day bar of one name: a rectangle per day, each with its date and value as a tooltip. */
function dayBar(name, days) {
  const states = days.map((day) => dayState(day[name]));
  const count = (state) => states.filter((s) => s === state).length;
  const label =
    `${name}, last ${days.length} days (UTC): ${count('up')} fully up, ${count('partial')} mostly up, ` +
    `${count('down')} down, ${count('unknown')} unknown`;
  const bar = svg('svg', {
    class: 'day-bar',
    viewBox: `0 0 ${days.length * (BAR.width + BAR.gap) - BAR.gap} ${BAR.height}`,
    role: 'img',
    'aria-label': label,
  });
  days.forEach((day, i) => {
    const rect = svg('rect', {
      x: i * (BAR.width + BAR.gap),
      y: 0,
      width: BAR.width,
      height: BAR.height,
      rx: 1.5,
      class: `day day-${states[i]}`,
      'data-date': day.date,
      'data-state': states[i],
    });
    const title = svg('title', {});
    title.textContent = `${day.date}: ${states[i] === 'unknown' ? 'unknown (nothing evaluated)' : shown(day[name])}`;
    rect.append(title);
    bar.append(rect);
  });
  return bar;
}

/** The table: a row per name (the service first), its uptime over each window and its 30-day bar. */
function render(uptimes, days) {
  const names = Object.keys(uptimes['30d']);
  const head = ['', ...WINDOWS.map((w) => WINDOW_LABELS[w]), 'Last 30 days (UTC)'];
  const rows = names.map((name) =>
    el(
      'tr',
      { 'data-name': name },
      el('th', { scope: 'row' }, name),
      ...WINDOWS.map((w) => el('td', { 'data-window': w, class: 'uptime-value' }, shown(uptimes[w][name]))),
      el('td', {}, dayBar(name, days)),
    ),
  );
  byId('uptime').replaceChildren(
    el(
      'div',
      { class: 'table-scroll', role: 'region', 'aria-label': 'Uptime', tabindex: '0' },
      el(
        'table',
        {},
        el('caption', {}, 'Uptime'),
        el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...rows),
      ),
    ),
  );
}

/** Fetches the uptime of each window (each answer also brings the days) and shows it; a 401 throws TokenRefused. */
export async function loadUptime() {
  try {
    const answers = await Promise.all(
      WINDOWS.map(async (window) => {
        const response = await apiFetch(`/history?window=${window}`);
        if (!response.ok) throw new Error(`history answered ${response.status}`);
        return response.json();
      }),
    );
    render(Object.fromEntries(WINDOWS.map((w, i) => [w, answers[i].uptime])), answers[answers.length - 1].days);
  } catch (error) {
    if (error instanceof TokenRefused) throw error;
    // A table already shown stays (its numbers move by minutes); before any, say why there is none.
    if (!byId('uptime').querySelector('table')) {
      byId('uptime').replaceChildren(el('p', { class: 'meta' }, 'Uptime unavailable: the service did not answer.'));
    }
  }
}

/** Back to the waiting note (the page is being locked). */
export function clearUptime() {
  byId('uptime').replaceChildren(el('p', { class: 'meta' }, 'Waiting for the service…'));
}
