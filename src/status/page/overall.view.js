// The banner: the overall status, why, for how long, and when the page last heard from the service.

import { byId, setText } from './dom.js';
import { clock, duration, ICONS, LABELS } from './format.js';

/** Shows `state`'s report; after a lost stream it is marked stale ("last known"). Nothing before the first report. */
export function renderOverall(state) {
  const report = state.report;
  if (!report) return;
  const section = byId('overall');
  section.dataset.status = report.status;
  section.dataset.stale = String(state.lost);
  byId('overall-icon').textContent = ICONS[report.status];
  byId('overall-status').textContent = state.lost ? `${LABELS[report.status]} (last known)` : LABELS[report.status];
  const failing = Object.entries(report.checks)
    .filter(([, check]) => check.status === 'error')
    .map(([key, check]) => `${key}: ${check.detail}`);
  setText(byId('overall-reason'), failing.join('; '));
  const current = state.transitions[0];
  const since =
    current && current.to === report.status
      ? `${LABELS[report.status]} for ${duration(Date.now() - Date.parse(current.at))} · `
      : '';
  setText(
    byId('overall-meta'),
    `${since}version ${report.version} · up ${duration(report.uptime_seconds * 1000)} · ` +
      `${state.reportAtEvaluated ? 'updated' : 'received'} ${clock(state.reportAt)}`,
  );
  document.title = `${LABELS[report.status]} — SecuScan health`;
}

/** Back to the "Loading" banner, with nothing of the previous report (the page is being locked). */
export function clearOverall() {
  byId('overall').dataset.status = 'unknown';
  byId('overall-icon').textContent = '…';
  byId('overall-status').textContent = 'Loading';
  for (const id of ['overall-reason', 'overall-meta', 'announcer']) byId(id).textContent = '';
}

/** Tells screen readers, politely, what just changed. */
export function announce(text) {
  setText(byId('announcer'), text);
}
