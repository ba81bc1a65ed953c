// How the page words states, durations, times of day and latencies.

/** The word for an overall or check status. */
export const LABELS = { healthy: 'Healthy', degraded: 'Degraded', unhealthy: 'Unhealthy', ok: 'OK', error: 'Error' };

/** The sign beside the overall status, so it does not rest on colour alone. */
export const ICONS = { healthy: '✓', degraded: '!', unhealthy: '✕' };

/** "3 min 12 s", "1 h 4 min", "12 s". */
export function duration(ms) {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min ${s} s`;
  return `${s} s`;
}

/** A time of day in the reader's locale, to the second. */
export const clock = (time) =>
  new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A latency: "2.4 ms" under 10 ms, "120 ms" above. */
export const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/**
 * A check's own values beside its latency, whatever the check: its counts and its words (`total 13`,
 * `mode sentinel`, `master 10.0.0.5:6379`).
 */
export function checkValues(check) {
  return Object.entries(check)
    .filter(
      ([name, value]) =>
        !['status', 'latency_ms', 'detail'].includes(name) && ['number', 'string'].includes(typeof value),
    )
    .map(([name, value]) => `${name} ${value}`);
}
