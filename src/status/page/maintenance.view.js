// The maintenance banner: shown while the report says a window is active. The page's own clock hides it when the
// window's end passes, before the next report says so, as the service itself needs no timer to end a window.

import { byId, setText } from './dom.js';
import { duration, moment } from './format.js';

/** The window of `report` while it lasts at `now`, or null. */
export function activeWindow(report, now) {
  const window = report && report.maintenance;
  if (!window || typeof window.until !== 'string') return null;
  const until = Date.parse(window.until);
  return Number.isNaN(until) || until <= now ? null : { until, reason: window.reason };
}

/**
 * Shows the window of `report` (its end, the time left, and why, as escaped text: a reason never becomes markup, nor
 * reorders the line with a bidi control), or hides the banner when there is none. Answers whether it is shown.
 */
export function renderMaintenance(report, now = Date.now()) {
  const window = activeWindow(report, now);
  const banner = byId('maintenance');
  if (!window) {
    banner.hidden = true;
    byId('maintenance-text').textContent = '';
    return false;
  }
  const why = typeof window.reason === 'string' && window.reason ? ` — ${window.reason}` : '';
  setText(byId('maintenance-text'), `Until ${moment(window.until)} (${duration(window.until - now)} left)${why}`);
  banner.hidden = false;
  return true;
}
