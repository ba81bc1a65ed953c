import type { MinuteRow } from './minute-rollup';
import { addPending, dateOf, DayCounts, daysOf, parseWindow, percent, uptimeOf, windowStart } from './uptime';

const DAY = 20_792; // 2026-12-05
const row = (minute: number, name: string, failures: number): MinuteRow => ({
  minute,
  name,
  evaluations: 1,
  failures,
  p50Us: 1,
  p95Us: 1,
  maxUs: 1,
});

describe('uptime arithmetic', () => {
  it('is the share of evaluated minutes without a failure, rounded down to 2 decimals, null when none', () => {
    expect(percent({ minutes: 43_200, up: 43_200 })).toBe(100);
    // One failed minute in 30 days is not 100.
    expect(percent({ minutes: 43_200, up: 43_199 })).toBe(99.99);
    expect(percent({ minutes: 3, up: 2 })).toBe(66.66);
    expect(percent({ minutes: 1, up: 0 })).toBe(0);
    expect(percent({ minutes: 0, up: 0 })).toBeNull();
    expect(percent(undefined)).toBeNull();
  });

  it('leaves unknown minutes out: 10 evaluated minutes in a day, 9 up, is 90 whatever the other 1430', () => {
    const counts = new DayCounts();
    counts.add(DAY, 'cache', 10, 9);
    expect(uptimeOf(counts, ['cache', 'database'])).toEqual({ cache: 90, database: null });
  });

  it('lists every day of the bar, oldest first, with null for the days nothing was evaluated', () => {
    const counts = new DayCounts();
    counts.add(DAY - 2, 'service', 1440, 1440);
    counts.add(DAY, 'service', 600, 594);
    expect(daysOf(counts, DAY - 2, DAY, ['service'])).toEqual([
      { date: '2026-12-03', service: 100 },
      { date: '2026-12-04', service: null },
      { date: '2026-12-05', service: 99 },
    ]);
    expect(dateOf(DAY)).toBe('2026-12-05');
  });

  it('adds the minutes still in memory, once each, and a minute shared with the file is up only if both parts were', () => {
    const counts = new DayCounts();
    const m = DAY * 1440 + 600;
    counts.add(DAY, 'cache', 5, 5); // on file: minutes m-4 .. m, all up
    const onFile = new Map([[`${m}:cache`, 0]]);
    addPending(
      counts,
      [row(m, 'cache', 1), row(m + 1, 'cache', 0), row(m + 2, 'cache', 1), row(m - 900, 'cache', 0)],
      onFile,
      m - 10,
      m + 2,
    );
    // m: already counted, now failed (up - 1); m+1 up; m+2 down; m-900 outside the range.
    expect(counts.get(DAY, 'cache')).toEqual({ minutes: 7, up: 5 });
  });

  it('reads the window from the query: absent is the default, anything else is refused', () => {
    const all = ['15m', '24h', '7d', '30d'] as const;
    expect(parseWindow(undefined, all, '15m')).toBe('15m');
    expect(parseWindow('30d', all, '15m')).toBe('30d');
    for (const bad of ['', '1h', '30D', ['24h', '7d'], '24h ']) expect(parseWindow(bad, all, '15m')).toBeUndefined();
    expect(parseWindow('15m', ['24h', '7d', '30d'], '24h')).toBeUndefined();
  });

  it('windows end with the current minute, which is included', () => {
    expect(windowStart('15m', 1000)).toBe(986);
    expect(windowStart('30d', 100_000)).toBe(100_000 - 43_199);
  });
});
