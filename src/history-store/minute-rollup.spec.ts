import type { HealthReportDto } from '../health';
import type { OverallStatus } from '../health';
import { MAX_SAMPLES, MinuteRollup } from './minute-rollup';

const T0 = Date.UTC(2026, 11, 5, 12, 0, 0);
const M0 = T0 / 60_000;

function report(status: OverallStatus, database: number, cache: number, cacheOk = true): HealthReportDto {
  return {
    status,
    version: '1.0.0',
    uptime_seconds: 1,
    checks: {
      database: { status: status === 'unhealthy' ? 'error' : 'ok', latency_ms: database, detail: null },
      cache: { status: cacheOk ? 'ok' : 'error', latency_ms: cache, detail: cacheOk ? null : 'down' },
    },
  };
}

describe('MinuteRollup', () => {
  it('folds a minute of evaluations into one row per check and one for the service, latencies in µs', () => {
    const rollup = new MinuteRollup();
    for (let i = 1; i <= 20; i++) rollup.add(report('healthy', i, 0.5), T0 + i * 1000);
    rollup.add(report('unhealthy', 2000, 0.5), T0 + 59_999);
    const rows = rollup.takeClosed(T0 + 60_000);
    expect(rows).toEqual([
      { minute: M0, name: 'database', evaluations: 21, failures: 1, p50Us: 11_000, p95Us: 20_000, maxUs: 2_000_000 },
      { minute: M0, name: 'cache', evaluations: 21, failures: 0, p50Us: 500, p95Us: 500, maxUs: 500 },
      // The service: never-unhealthy minutes are up; its latency is the slowest probe of each evaluation.
      { minute: M0, name: 'service', evaluations: 21, failures: 1, p50Us: 11_000, p95Us: 20_000, maxUs: 2_000_000 },
    ]);
    expect(rollup.pending()).toEqual([]);
  });

  it('counts a degraded evaluation as a failure of the check, not of the service', () => {
    const rollup = new MinuteRollup();
    rollup.add(report('degraded', 1, 1000, false), T0);
    expect(rollup.takeAll().map((r) => [r.name, r.failures])).toEqual([
      ['database', 0],
      ['cache', 1],
      ['service', 0],
    ]);
  });

  it('keeps the current minute in memory until it closes, and gives it up at shutdown', () => {
    const rollup = new MinuteRollup();
    rollup.add(report('healthy', 1, 1), T0 + 1000);
    rollup.add(report('healthy', 1, 1), T0 + 61_000);
    expect(rollup.takeClosed(T0 + 61_500).map((r) => r.minute)).toEqual([M0, M0, M0]);
    expect(rollup.takeClosed(T0 + 119_999)).toEqual([]);
    expect(rollup.pending().map((r) => r.minute)).toEqual([M0 + 1, M0 + 1, M0 + 1]);
    expect(rollup.takeAll().map((r) => r.minute)).toEqual([M0 + 1, M0 + 1, M0 + 1]);
    expect(rollup.pending()).toEqual([]);
  });

  it('keeps a bounded, uniform sample of latencies however many evaluations a minute has', () => {
    let next = 0;
    // A fixed "random" sequence: the reservoir's choices are reproducible.
    const rollup = new MinuteRollup(() => (next = (next + 0.618034) % 1));
    for (let i = 0; i < 10 * MAX_SAMPLES; i++) rollup.add(report('healthy', i % 100, 1), T0 + (i % 60_000));
    const [database] = rollup.takeAll();
    expect(database.evaluations).toBe(10 * MAX_SAMPLES);
    expect(database.maxUs).toBe(99_000);
    // The median of 0..99 ms, evenly spread, whatever the sample kept.
    expect(Math.abs(database.p50Us - 49_500)).toBeLessThan(8_000);
    expect(rollup['minutes'].size).toBe(0);
  });
});
