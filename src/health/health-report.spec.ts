import { HealthIndicatorResult } from '@nestjs/terminus';
import { HealthIndicatorPort } from './health-check.registration';
import { evaluateChecks, toCheckResult } from './health-report';

const indicator = (check: HealthIndicatorPort['check']): HealthIndicatorPort => ({ check });
const up = (key: string, data: Record<string, unknown> = {}): HealthIndicatorResult => ({
  [key]: { status: 'up', ...data },
});
const down = (key: string, data: Record<string, unknown> = {}): HealthIndicatorResult => ({
  [key]: { status: 'down', ...data },
});

describe('toCheckResult', () => {
  it('maps up to ok with a null detail, keeping extra fields', () => {
    expect(toCheckResult('plugins', up('plugins', { total: 3, runnable: 2 }))).toEqual({
      status: 'ok',
      total: 3,
      runnable: 2,
      detail: null,
    });
  });

  it('maps down to error and keeps its detail', () => {
    expect(toCheckResult('cache', down('cache', { latency_ms: 3, detail: 'refused' }))).toEqual({
      status: 'error',
      latency_ms: 3,
      detail: 'refused',
    });
  });

  it('gives a down result without a detail a generic one, never null', () => {
    expect(toCheckResult('cache', down('cache'))).toEqual({ status: 'error', detail: 'check failed' });
  });

  it('treats a result for another key, or none, as an error', () => {
    expect(toCheckResult('cache', up('database')).status).toBe('error');
    expect(toCheckResult('cache', undefined).detail).toContain('no result');
  });
});

describe('evaluateChecks', () => {
  it('runs the checks concurrently: the cost is the slowest, not the sum', async () => {
    const slow = (key: string) => indicator(() => new Promise((resolve) => setTimeout(() => resolve(up(key)), 150)));
    const start = Date.now();
    const evaluation = await evaluateChecks([
      { key: 'a', indicator: slow('a'), critical: true },
      { key: 'b', indicator: slow('b'), critical: false },
      { key: 'c', indicator: slow('c'), critical: false },
    ]);
    expect(Date.now() - start).toBeLessThan(400);
    expect(evaluation.status).toBe('healthy');
  });

  it('keeps registration order in the report', async () => {
    const evaluation = await evaluateChecks([
      { key: 'database', indicator: indicator(async (k) => up(k)), critical: true },
      { key: 'cache', indicator: indicator(async (k) => up(k)), critical: false },
      { key: 'plugins', indicator: indicator(async (k) => up(k)), critical: false },
    ]);
    expect(Object.keys(evaluation.checks)).toEqual(['database', 'cache', 'plugins']);
  });

  it('turns a rejecting or synchronously throwing indicator into an error, not a crash', async () => {
    const evaluation = await evaluateChecks([
      { key: 'database', indicator: indicator(async (k) => up(k)), critical: true },
      { key: 'cache', indicator: indicator(() => Promise.reject(new Error('boom redis://:pw@h:1'))), critical: false },
      {
        key: 'plugins',
        indicator: indicator(() => {
          throw new Error('sync boom');
        }),
        critical: false,
      },
    ]);
    expect(evaluation.status).toBe('degraded');
    expect(evaluation.checks.cache).toEqual({ status: 'error', detail: 'boom redis://h:1' });
    expect(evaluation.checks.plugins).toEqual({ status: 'error', detail: 'sync boom' });
  });

  it('is unhealthy when a critical indicator throws', async () => {
    const evaluation = await evaluateChecks([
      { key: 'database', indicator: indicator(() => Promise.reject(new Error('x'))), critical: true },
    ]);
    expect(evaluation.status).toBe('unhealthy');
  });

  it('notices a down result even without a throw', async () => {
    const evaluation = await evaluateChecks([
      { key: 'database', indicator: indicator(async (k) => down(k, { detail: 'no' })), critical: true },
    ]);
    expect(evaluation.status).toBe('unhealthy');
  });
});
