import { Logger } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { settingsFrom } from '../config/settings';
import type { HealthService, HealthSnapshot, OverallStatus } from '../health';
import { FLUSH_INTERVAL_MS, HistoryStore } from './history-store.service';
import { HISTORY_STORE_SETTINGS } from './history-store.settings';

const DAY_MS = 86_400_000;
/** 2026-12-05 00:00 UTC. */
const MIDNIGHT = Date.UTC(2026, 11, 5);

/** A health service whose evaluations the test publishes. */
function fakeHealth() {
  const evaluations = new Subject<HealthSnapshot>();
  const publish = (status: OverallStatus, cacheOk = status !== 'degraded') =>
    evaluations.next({
      report: {
        status,
        version: '1.0.0',
        uptime_seconds: 1,
        checks: {
          database: { status: status === 'unhealthy' ? 'error' : 'ok', latency_ms: 2, detail: null },
          cache: { status: cacheOk ? 'ok' : 'error', latency_ms: 1, detail: cacheOk ? null : 'redis down' },
        },
      },
    } as unknown as HealthSnapshot);
  return { health: { evaluations$: evaluations.asObservable() } as unknown as HealthService, publish };
}

describe('HistoryStore on a fake clock', () => {
  let dir: string;
  const stores: HistoryStore[] = [];
  const open = (env: Record<string, string> = {}) => {
    const { health, publish } = fakeHealth();
    const settings = settingsFrom(HISTORY_STORE_SETTINGS, { HEALTH_DATA_DIR: dir, ...env });
    const store = new HistoryStore(health, settings);
    stores.push(store);
    return { store, publish };
  };
  /** One evaluation a minute for `minutes` minutes, each of `status`. */
  const minutes = async (publish: (s: OverallStatus) => void, status: OverallStatus, count: number) => {
    for (let i = 0; i < count; i++) {
      publish(status);
      await jest.advanceTimersByTimeAsync(60_000);
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'history-store-'));
    jest.useFakeTimers({ now: MIDNIGHT + 10 * 60_000 });
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => {
    for (const store of stores.splice(0)) store.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts minutes, not evaluations, and leaves the minutes nothing evaluated out', async () => {
    const { store, publish } = open();
    await minutes(publish, 'healthy', 6);
    await minutes(publish, 'degraded', 2);
    await minutes(publish, 'unhealthy', 1);
    // 20 quiet minutes: unknown, not up.
    await jest.advanceTimersByTimeAsync(20 * 60_000);
    // Many evaluations in one minute are still one minute.
    for (let i = 0; i < 50; i++) publish('healthy');
    expect(store.uptime('24h', ['database', 'cache'])).toEqual({
      service: 90, // 9 of 10 minutes never unhealthy
      database: 90,
      cache: 80, // failed in the 2 degraded minutes
    });
    expect(store.uptime('15m', ['database', 'cache']).service).toBe(100);
  });

  it('writes only every few seconds, and nothing of an open minute until it closes', async () => {
    const { store, publish } = open();
    const write = jest.spyOn(store['database'], 'write');
    publish('healthy');
    publish('healthy');
    await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    // The transition only: the minute is still open.
    expect(write.mock.calls.map(([rows, transitions]) => [rows.length, transitions.length])).toEqual([[0, 1]]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(write.mock.calls.map(([rows, transitions]) => [rows.length, transitions.length])).toEqual([
      [0, 1],
      [3, 0],
    ]);
  });

  it('keeps history and uptime across a restart, the transitions too, the current minute included', async () => {
    const first = open();
    await minutes(first.publish, 'healthy', 3);
    first.publish('degraded');
    await jest.advanceTimersByTimeAsync(1000);
    first.store.onApplicationShutdown();
    stores.splice(0);
    const { store } = open();
    expect(store.recentTransitions(10).map((t) => [t.from, t.to])).toEqual([
      [null, 'healthy'],
      ['healthy', 'degraded'],
    ]);
    expect(store.uptime('15m', ['cache'])).toEqual({ service: 100, cache: 75 });
    expect(store.days(['cache']).at(-1)).toEqual({ date: '2026-12-05', service: 100, cache: 75 });
  });

  it('adds the whole days from the daily counts and the first, partial day from its minutes', async () => {
    const { store, publish } = open();
    // Day 1: 10 minutes up. Day 2: 10 minutes, 5 failed.
    await minutes(publish, 'healthy', 10);
    await jest.advanceTimersByTimeAsync(DAY_MS - 20 * 60_000);
    await minutes(publish, 'degraded', 5);
    await minutes(publish, 'healthy', 5);
    await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    const days = store.days(['cache']);
    expect(days).toHaveLength(30);
    expect(days.slice(-3)).toEqual([
      { date: '2026-12-04', service: null, cache: null },
      { date: '2026-12-05', service: 100, cache: 100 },
      { date: '2026-12-06', service: 100, cache: 50 },
    ]);
    expect(store.uptime('30d', ['cache'])).toEqual({ service: 100, cache: 75 });
    expect(store.uptime('7d', ['cache'])).toEqual({ service: 100, cache: 75 });
    // At 00:15 on day 2, 24 h back starts at 00:16 on day 1: 4 of its minutes (up) and day 2's 10 (5 up).
    jest.setSystemTime(MIDNIGHT + DAY_MS + 15 * 60_000);
    expect(store.uptime('24h', ['cache'])).toEqual({ service: 100, cache: 64.28 });
  });

  it('deletes what is older than HEALTH_RETENTION_DAYS at its first flush', async () => {
    const first = open();
    await minutes(first.publish, 'healthy', 2);
    first.store.onApplicationShutdown();
    stores.splice(0);
    jest.setSystemTime(MIDNIGHT + 3 * DAY_MS);
    const { store } = open({ HEALTH_RETENTION_DAYS: '2' });
    // Not seeded from beyond the retention, even before the purge ran.
    expect(store.recentTransitions(10)).toEqual([]);
    expect(store.uptime('7d', [])).toEqual({ service: 100 });
    await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    expect(store.uptime('7d', [])).toEqual({ service: null });
  });

  it('with a folder it cannot use: one warning naming it, and the same history in memory', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    writeFileSync(join(dir, 'file'), '');
    const { store, publish } = open({ HEALTH_DATA_DIR: join(dir, 'file', 'data') });
    expect(store.durable).toBe(false);
    await minutes(publish, 'healthy', 2);
    await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    expect(store.uptime('15m', [])).toEqual({ service: 100 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatchObject({
      message: expect.stringContaining(join(dir, 'file', 'data', 'health.db')),
    });
  });

  it('when writes fail, says so once, keeps the rows and writes them when it can again', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const { store, publish } = open();
    const write = jest.spyOn(store['database'], 'write').mockImplementation(() => {
      throw new Error('database or disk is full');
    });
    await minutes(publish, 'healthy', 3);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(store.uptime('15m', [])).toEqual({ service: 100 });
    write.mockRestore();
    await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    expect(store['database'].countsInRange(0, Number.MAX_SAFE_INTEGER)).toEqual([
      { name: 'cache', minutes: 3, up: 3 },
      { name: 'database', minutes: 3, up: 3 },
      { name: 'service', minutes: 3, up: 3 },
    ]);
  });
});
