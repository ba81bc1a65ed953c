import { isRecord } from '../common/is-record';

/** A maintenance window: from `since` until `until` (epoch ms), with why, if someone said. */
export interface MaintenanceWindow {
  readonly since: number;
  readonly until: number;
  readonly reason: string | null;
}

/** The longest window, in minutes: a week. Longer is a service nobody watches, not maintenance. */
export const MAX_MINUTES = 10_080;
/** The longest reason, in characters: a line on a page or in a chat message, not a changelog. */
export const MAX_REASON_LENGTH = 200;

/** What a request to start a window asks for, or why it cannot be read. */
export type WindowRequest =
  { readonly ok: true; readonly window: MaintenanceWindow } | { readonly ok: false; readonly problem: string };

const FIELDS = new Set(['until', 'minutes', 'reason']);
/** An RFC 3339 date-time: a date, a time and an offset (`Z` or `±hh:mm`), so no reader has to guess the zone. */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Reads the body of `POST /maintenance` at `now` (epoch ms): exactly one of `until` (an RFC 3339 time in the future,
 * at most {@link MAX_MINUTES} ahead) and `minutes` (a whole number from 1 to {@link MAX_MINUTES}), and an optional
 * `reason` (text of at most {@link MAX_REASON_LENGTH} characters; blank is none). Anything else is a problem, named in
 * one line: a typo such as `minute` must not start a window of a default length.
 */
export function readWindowRequest(body: unknown, now: number): WindowRequest {
  const fail = (problem: string): WindowRequest => ({ ok: false, problem });
  if (!isRecord(body))
    return fail('the body must be a JSON object such as {"minutes": 30, "reason": "upgrading nmap"}');
  const unknown = Object.keys(body).filter((key) => !FIELDS.has(key));
  if (unknown.length) return fail(`unknown field ${unknown.map((key) => JSON.stringify(key)).join(', ')}`);
  const { until, minutes, reason } = body;
  if ((until === undefined) === (minutes === undefined)) return fail('give exactly one of "until" and "minutes"');
  const end = until === undefined ? endAfter(minutes, now) : endAt(until, now);
  if (typeof end === 'string') return fail(end);
  const why = readReason(reason);
  if (why !== null && typeof why === 'object') return fail(why.problem);
  return { ok: true, window: { since: now, until: end, reason: why } };
}

function endAfter(minutes: unknown, now: number): number | string {
  if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1 || minutes > MAX_MINUTES) {
    return `"minutes" must be a whole number from 1 to ${MAX_MINUTES}`;
  }
  return now + minutes * 60_000;
}

/**
 * Whether `text` is an RFC 3339 time naming a real moment: `Date.parse` rolls a day the month lacks over into the
 * next month ("2026-02-30" is 2 March), which would start a window on a day nobody asked for.
 */
function isCalendarTime(text: string): boolean {
  const match = RFC_3339.exec(text);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = text.slice(0, 19).split(/[-T:]/).map(Number);
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(text);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    (!offset || (Number(offset[2]) <= 23 && Number(offset[3]) <= 59))
  );
}

function endAt(until: unknown, now: number): number | string {
  const time = typeof until === 'string' && isCalendarTime(until) ? Date.parse(until) : NaN;
  if (Number.isNaN(time)) return '"until" must be a time with its offset, such as "2026-12-05T18:30:00Z"';
  if (time <= now) return '"until" is not in the future';
  if (time - now > MAX_MINUTES * 60_000) return `"until" must be at most ${MAX_MINUTES} minutes (7 days) ahead`;
  return time;
}

function readReason(reason: unknown): string | null | { problem: string } {
  if (reason === undefined || reason === null) return null;
  if (typeof reason !== 'string') return { problem: '"reason" must be text' };
  const trimmed = reason.trim();
  // Counted in code points, as people count characters (an emoji is one).
  if ([...trimmed].length > MAX_REASON_LENGTH) {
    return { problem: `"reason" must be at most ${MAX_REASON_LENGTH} characters` };
  }
  return trimmed || null;
}

/** Whether `window` holds at `now`: its end is what ends it, with no timer needed. */
export function isActive(window: MaintenanceWindow | undefined, now: number): window is MaintenanceWindow {
  return window !== undefined && now < window.until;
}
