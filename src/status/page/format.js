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

/** A value a check reports, in words: yes/no for booleans, "unknown" for null. */
const word = (value) =>
  value === null ? 'unknown' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);

/** Whether a value is shown beside the latency (a number, a string such as a host, a boolean). */
const shown = (name, value) =>
  !['status', 'latency_ms', 'detail'].includes(name) && ['number', 'string', 'boolean'].includes(typeof value);

/** A check's own values beside its latency, whatever the check: `host 10.0.0.5:5432`, `total 13`. */
export function checkValues(check) {
  return Object.entries(check)
    .filter(([name, value]) => shown(name, value))
    .map(([name, value]) => `${name} ${word(value)}`);
}

/**
 * The items of a check that lists several (the replicas check's hosts), whatever the list is called: one entry per
 * item with its name (its first value), its status, its detail and its other values in words.
 */
export function checkItems(check) {
  const lists = Object.values(check).filter(
    (value) => Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null),
  );
  return lists.flat().map((item) => {
    const [first, ...rest] = Object.entries(item);
    return {
      name: first ? word(first[1]) : '?',
      status: item.status === 'error' ? 'error' : 'ok',
      detail: typeof item.detail === 'string' ? item.detail : null,
      values: rest
        .filter(([name, value]) => name !== 'status' && name !== 'detail' && (value === null || shown(name, value)))
        .map(([name, value]) => `${name} ${word(value)}`),
    };
  });
}

/** A moment to the minute: the time of day when it is today, else with the day ("Mon 5 Dec, 14:30"). */
export function moment(time) {
  const date = new Date(time);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
