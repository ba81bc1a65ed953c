import type { HealthReportDto } from '../health/dto/health-report.dto';
import type { OverallStatus } from '../health/health-status';
import { HealthHistory, idsAfterBoot, SERIES_WINDOW_MS } from './health-history';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function report(status: OverallStatus, cacheDetail: string | null = null, latency = 2): HealthReportDto {
  return {
    status,
    version: '1.0.0',
    uptime_seconds: 1,
    checks: {
      database: { status: status === 'unhealthy' ? 'error' : 'ok', latency_ms: latency, detail: null },
      cache: { status: cacheDetail ? 'error' : 'ok', latency_ms: latency, detail: cacheDetail },
    },
  };
}

/** A history of `size` after `count` evaluations, each a transition (healthy and degraded in turn). */
function flapping(size: number, count: number): HealthHistory {
  const history = new HealthHistory(size);
  for (let i = 0; i < count; i++) history.record(report(i % 2 ? 'degraded' : 'healthy', i % 2 ? 'down' : null), T0 + i);
  return history;
}

/** The statuses a client resuming after `id` gets replayed (it must not be reset). */
function missedAfter(history: HealthHistory, id: number): string[] {
  const resumption = history.resume(id, 100);
  if (resumption.kind !== 'replay') throw new Error(`resuming after ${id} was a reset (${resumption.reason})`);
  return resumption.missed.map((t) => t.to);
}

describe('HealthHistory', () => {
  it('records a transition only when the status changes, newest first, with the failing checks as reason', () => {
    const history = new HealthHistory(10);
    expect(history.record(report('healthy'), T0).transition).toMatchObject({ from: null, to: 'healthy' });
    expect(history.record(report('healthy'), T0 + 1000).transition).toBeUndefined();
    const degraded = history.record(report('degraded', 'redis PING timed out after 1000 ms'), T0 + 2000);
    expect(degraded.transition).toEqual({
      id: degraded.evaluationId - 1,
      at: new Date(T0 + 2000).toISOString(),
      from: 'healthy',
      to: 'degraded',
      reason: 'cache: redis PING timed out after 1000 ms',
    });
    history.record(report('healthy'), T0 + 3000);
    expect(history.snapshot(T0 + 3000).transitions.map((t) => [t.from, t.to, t.reason])).toEqual([
      ['degraded', 'healthy', null],
      ['healthy', 'degraded', 'cache: redis PING timed out after 1000 ms'],
      [null, 'healthy', null],
    ]);
  });

  it('numbers evaluations and transitions in one increasing sequence and replays what followed an id', () => {
    const history = new HealthHistory(10);
    const ids: number[] = [];
    const statuses: OverallStatus[] = ['healthy', 'healthy', 'unhealthy', 'unhealthy', 'healthy'];
    statuses.forEach((s, i) => {
      const recorded = history.record(report(s), T0 + i * 1000);
      if (recorded.transition) ids.push(recorded.transition.id);
      ids.push(recorded.evaluationId);
    });
    expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(history.lastId).toBe(8);
    expect(missedAfter(history, 2)).toEqual(['unhealthy', 'healthy']);
    expect(missedAfter(history, 8)).toEqual([]);
    // An id this process never gave (the client saw the process before a restart): start over from the latest.
    expect(history.resume(999, 100)).toMatchObject({ kind: 'reset', reason: 'unknown' });
    expect(history.resume(undefined, 100)).toMatchObject({ kind: 'reset', reason: 'unknown' });
  });

  it('numbers after the id it is given, and calls an id below it unknown (one from before a restart)', () => {
    const before = new HealthHistory(10, idsAfterBoot(T0));
    before.record(report('healthy'), T0);
    before.record(report('unhealthy'), T0 + 1000);
    const seenBefore = before.lastId;
    expect(seenBefore).toBe(T0 * 1000 + 4);
    // The process restarts a minute later: its ids start above every id the first one gave.
    const after = new HealthHistory(10, idsAfterBoot(T0 + 60_000));
    after.record(report('healthy'), T0 + 60_000);
    after.record(report('unhealthy'), T0 + 61_000);
    after.record(report('healthy'), T0 + 62_000);
    expect(after.lastId).toBeGreaterThan(seenBefore);
    expect(after.lastId).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(after.resume(seenBefore, 100)).toMatchObject({ kind: 'reset', reason: 'unknown' });
    expect(after.resume(0, 100)).toMatchObject({ kind: 'reset', reason: 'unknown' });
    expect(after.resume(idsAfterBoot(T0 + 60_000) - 1, 100)).toMatchObject({ kind: 'reset', reason: 'unknown' });
    // Where its ids start means "before the first" (a reset sent before any event carries it): all is replayed.
    expect(missedAfter(after, idsAfterBoot(T0 + 60_000))).toEqual(['healthy', 'unhealthy', 'healthy']);
    // Its own first id replays what followed it.
    expect(missedAfter(after, idsAfterBoot(T0 + 60_000) + 1)).toEqual(['unhealthy', 'healthy']);
  });

  it('replays at most `max` missed transitions; a client that missed more is reset with the latest `max`', () => {
    const history = flapping(1000, 50);
    const kept = history.snapshot(T0).transitions; // newest first
    // Missed exactly 10 (it saw the 11th newest): all 10 replayed, oldest first.
    expect(history.resume(kept[10].id, 10)).toEqual({ kind: 'replay', missed: kept.slice(0, 10).reverse() });
    // Missed 11: too many to replay.
    expect(history.resume(kept[11].id, 10)).toEqual({ kind: 'reset', reason: 'too_old', latest: kept.slice(0, 10) });
    expect(history.resume(0, 10)).toEqual({ kind: 'reset', reason: 'too_old', latest: kept.slice(0, 10) });
  });

  it('resets a client that missed a transition no longer kept, however few it missed', () => {
    const history = flapping(5, 6); // the first transition has left the ring
    const kept = history.snapshot(T0).transitions;
    expect(kept).toHaveLength(5);
    expect(history.resume(0, 100)).toEqual({ kind: 'reset', reason: 'too_old', latest: kept });
    // It saw the dropped one: everything after it is kept, so it is all replayed.
    expect(missedAfter(history, kept[4].id - 2)).toHaveLength(5);
  });

  it('pages the kept transitions newest first, at most `limit` a page, down to the oldest kept', () => {
    const history = flapping(1000, 250);
    const all = history.snapshot(T0).transitions;
    expect(all).toHaveLength(250);
    const pages: number[][] = [];
    let before: number | undefined;
    do {
      const page = history.snapshot(T0, { limit: 100, before });
      pages.push(page.transitions.map((t) => t.id));
      before = page.next_before ?? undefined;
      expect(page.next_before).toBe(pages.length < 3 ? page.transitions.at(-1)!.id : null);
    } while (before !== undefined);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages.flat()).toEqual(all.map((t) => t.id));
    // A `before` under the oldest kept id: nothing older.
    expect(history.snapshot(T0, { limit: 100, before: all.at(-1)!.id })).toMatchObject({
      transitions: [],
      next_before: null,
    });
  });

  it('keeps at most HEALTH_HISTORY_SIZE transitions', () => {
    const history = new HealthHistory(5);
    for (let i = 0; i < 1000; i++) history.record(report(i % 2 ? 'degraded' : 'healthy', 'x'), T0 + i * 1000);
    const { transitions } = history.snapshot(T0 + 1000 * 1000);
    expect(transitions).toHaveLength(5);
    expect(transitions[0].at).toBe(new Date(T0 + 999_000).toISOString());
  });

  it('keeps at most one point per second per check, the last of that second', () => {
    const history = new HealthHistory(5);
    history.record(report('healthy', null, 1), T0 + 100);
    history.record(report('healthy', null, 2), T0 + 900);
    history.record(report('healthy', null, 3), T0 + 1000);
    expect(history.snapshot(T0 + 1000).series.database).toEqual([
      [T0 + 900, 2, 'ok'],
      [T0 + 1000, 3, 'ok'],
    ]);
  });

  it('stays bounded in memory whatever the probe rate: 20 minutes at 100 evaluations a second', () => {
    const history = new HealthHistory(500);
    let now = T0;
    for (let i = 0; i < 20 * 60 * 100; i++) {
      now = T0 + i * 10; // one evaluation every 10 ms, flapping so transitions pile up too
      history.record(report(i % 7 === 0 ? 'degraded' : 'healthy', i % 7 === 0 ? 'down' : null, i % 50), now);
    }
    const { transitions, series } = history.snapshot(now);
    expect(transitions).toHaveLength(500);
    for (const points of Object.values(series)) {
      expect(points.length).toBeLessThanOrEqual(900);
      expect(points.length).toBeGreaterThanOrEqual(899);
      expect(points[0][0]).toBeGreaterThan(now - SERIES_WINDOW_MS);
      const seconds = points.map(([t]) => Math.floor(t / 1000));
      expect(new Set(seconds).size).toBe(seconds.length);
    }
  });

  it('forgets points older than 15 minutes when read, even with no new evaluation', () => {
    const history = new HealthHistory(5);
    history.record(report('healthy'), T0);
    history.record(report('healthy'), T0 + 60_000);
    expect(history.snapshot(T0 + SERIES_WINDOW_MS + 1).series.database).toEqual([[T0 + 60_000, 2, 'ok']]);
  });

  it('says which window the series cover, on its own clock: after `from`, up to `to`', () => {
    const history = new HealthHistory(5);
    history.record(report('healthy'), T0);
    const now = T0 + SERIES_WINDOW_MS;
    const { series, series_window } = history.snapshot(now);
    expect(series_window).toEqual({ from: T0, to: now });
    // The point at `from` itself has left the window.
    expect(series.database).toEqual([]);
  });

  it('tells what each evaluation added: its points, the ones that replaced a point of the same second, the window', () => {
    const history = new HealthHistory(5);
    expect(history.record(report('healthy', null, 1), T0 + 100).series).toEqual({
      window: { from: T0 + 100 - SERIES_WINDOW_MS, to: T0 + 100 },
      points: { database: [T0 + 100, 1, 'ok'], cache: [T0 + 100, 1, 'ok'] },
      replaced: [],
    });
    expect(history.record(report('degraded', 'down', 2), T0 + 900).series).toEqual({
      window: { from: T0 + 900 - SERIES_WINDOW_MS, to: T0 + 900 },
      points: { database: [T0 + 900, 2, 'ok'], cache: [T0 + 900, 2, 'error'] },
      replaced: ['database', 'cache'],
    });
    expect(history.record(report('healthy', null, 3), T0 + 1000).series.replaced).toEqual([]);
  });
});
