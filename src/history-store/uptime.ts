import type { MinuteRow } from './minute-rollup';

/** The windows uptime is asked over, in minutes: the current minute and those before it. */
export const UPTIME_WINDOWS = { '15m': 15, '24h': 1440, '7d': 7 * 1440, '30d': 30 * 1440 } as const;
/** A window of {@link UPTIME_WINDOWS}. */
export type UptimeWindow = keyof typeof UPTIME_WINDOWS;
/** The window of `GET /history` when the query names none. */
export const DEFAULT_WINDOW: UptimeWindow = '15m';
/** Days in the daily bars: today (UTC) and the 29 before it. */
export const DAYS_SHOWN = 30;
export const MINUTES_PER_DAY = 1440;

/** Evaluated minutes, and those among them without a failure. */
export interface Counts {
  minutes: number;
  up: number;
}

/** Uptime in percent per name (`service` and each check); `null` when nothing was evaluated. */
export type Uptime = Record<string, number | null>;

/** One UTC day of the daily bars: its date (`2026-12-05`) and the uptime of each name that day. */
export interface DayUptime {
  readonly date: string;
  readonly [name: string]: number | null | string;
}

/** The epoch day (UTC) of an epoch minute. */
export const dayOf = (minute: number): number => Math.floor(minute / MINUTES_PER_DAY);

/** `2026-12-05` for an epoch day. */
export const dateOf = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The first minute of `window` ending with the minute `now` (inclusive). */
export const windowStart = (window: UptimeWindow, now: number): number => now - UPTIME_WINDOWS[window] + 1;

/** `raw` (a query parameter) as one of `allowed`, or `undefined`. Absent is `fallback`. */
export function parseWindow<W extends UptimeWindow>(raw: unknown, allowed: readonly W[], fallback: W): W | undefined {
  if (raw === undefined) return fallback;
  return allowed.find((window) => window === raw);
}

/**
 * Percent with two decimals, rounded down so that only a perfect record shows 100 (one failed minute in 30 days is
 * 99.99, not 100); `null` when no minute was evaluated. Unknown minutes (none evaluated: the service was down or
 * not yet running) are in neither count: they are not up, and not down either.
 */
export function percent(counts: Counts | undefined): number | null {
  if (!counts?.minutes) return null;
  return Math.floor((counts.up / counts.minutes) * 10_000) / 100;
}

/** Counts per epoch day and name. */
export class DayCounts {
  private readonly days = new Map<number, Map<string, Counts>>();

  /** Adds `minutes` evaluated minutes, `up` of them up, to `name` on `day` (negative `up` corrects a count). */
  add(day: number, name: string, minutes: number, up: number): void {
    let names = this.days.get(day);
    if (!names) this.days.set(day, (names = new Map<string, Counts>()));
    const counts = names.get(name) ?? { minutes: 0, up: 0 };
    names.set(name, { minutes: counts.minutes + minutes, up: counts.up + up });
  }

  /** `name` on `day`. */
  get(day: number, name: string): Counts | undefined {
    return this.days.get(day)?.get(name);
  }

  /** `name` over every day held. */
  total(name: string): Counts {
    const total = { minutes: 0, up: 0 };
    for (const names of this.days.values()) {
      const counts = names.get(name);
      if (counts) {
        total.minutes += counts.minutes;
        total.up += counts.up;
      }
    }
    return total;
  }
}

/**
 * Adds the rows not yet written (`pending`, from `from` to `to` minutes inclusive) to `counts`. A minute already on
 * file (`onFile`: failures by `minute:name`, written by a process that ran earlier in the same minute) is counted
 * once, and up only when neither part of it failed.
 */
export function addPending(
  counts: DayCounts,
  pending: readonly MinuteRow[],
  onFile: ReadonlyMap<string, number>,
  from: number,
  to: number,
): void {
  const seen = new Map<string, number>();
  for (const row of pending) {
    if (row.minute < from || row.minute > to) continue;
    const key = `${row.minute}:${row.name}`;
    seen.set(key, (seen.get(key) ?? 0) + row.failures);
  }
  for (const [key, failures] of seen) {
    const [minute, name] = [Number(key.slice(0, key.indexOf(':'))), key.slice(key.indexOf(':') + 1)];
    const before = onFile.get(key);
    if (before === undefined) counts.add(dayOf(minute), name, 1, failures === 0 ? 1 : 0);
    else if (before === 0 && failures > 0) counts.add(dayOf(minute), name, 0, -1);
  }
}

/** The uptime of each of `names` over everything `counts` holds. */
export function uptimeOf(counts: DayCounts, names: readonly string[]): Uptime {
  return Object.fromEntries(names.map((name) => [name, percent(counts.total(name))]));
}

/** One entry per day from `first` to `last` (epoch days, oldest first), with the uptime of each of `names`. */
export function daysOf(counts: DayCounts, first: number, last: number, names: readonly string[]): DayUptime[] {
  const days: DayUptime[] = [];
  for (let day = first; day <= last; day++) {
    const uptime = Object.fromEntries(names.map((name) => [name, percent(counts.get(day, name))]));
    days.push({ date: dateOf(day), ...uptime });
  }
  return days;
}
