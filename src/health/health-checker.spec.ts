import { HealthIndicatorService } from '@nestjs/terminus';
import { FakeIndicator, listingDefinition } from '../../test/support/fake-indicator';
import { evaluateChecks, failingChecks, runCheck } from './health-checker';
import type { HealthIndicator } from './health-indicator';

describe('runCheck', () => {
  it('maps up to ok with a null detail and the measured latency, keeping the declared fields', async () => {
    const plugins = new FakeIndicator('plugins');
    plugins.data = { total: 3, runnable: 2 };
    expect(await runCheck(plugins)).toEqual({
      status: 'ok',
      total: 3,
      runnable: 2,
      latency_ms: expect.any(Number),
      detail: null,
    });
  });

  it('maps down to error with its detail, and drops the fields a failed check cannot vouch for', async () => {
    const cache = new FakeIndicator('cache');
    cache.mode = 'down';
    expect(await runCheck(cache)).toEqual({ status: 'error', latency_ms: expect.any(Number), detail: 'cache is down' });
  });

  it('reports the fields a check declares always present as 0 when it failed without counting them', async () => {
    const fields = {
      total: { description: 'All', example: 3, always: true },
      runnable: { description: 'Usable', example: 2, always: true },
      spare: { description: 'Only when counted', example: 1 },
    };
    const plugins = new FakeIndicator('plugins', { fields });
    plugins.mode = 'down';
    expect(await runCheck(plugins)).toEqual({
      status: 'error',
      total: 0,
      runnable: 0,
      latency_ms: expect.any(Number),
      detail: 'plugins is down',
    });
    plugins.mode = 'reject';
    expect(await runCheck(plugins)).toEqual({
      status: 'error',
      total: 0,
      runnable: 0,
      latency_ms: expect.any(Number),
      detail: 'plugins unreachable: plugins refused',
    });
    const hung = new FakeIndicator('plugins', { fields, timeoutMs: 20 });
    hung.mode = 'hang';
    expect(await runCheck(hung)).toMatchObject({ status: 'error', total: 0, runnable: 0 });
    plugins.mode = 'up';
    plugins.data = { total: 3, runnable: 2, spare: 1 };
    expect(await runCheck(plugins)).toMatchObject({ status: 'ok', total: 3, runnable: 2, spare: 1 });
  });

  it('keeps the declared fields, words included, of a failed check that could still tell what it saw', async () => {
    const fields = {
      mode: { description: 'Topology', type: 'string' as const, example: 'cluster' },
      cluster_state: { description: 'State', type: 'string' as const, example: 'ok' },
      slots_fail: { description: 'Failing slots', example: 0 },
    };
    const indicator: HealthIndicator = {
      definition: new FakeIndicator('cache', { fields }).definition,
      check: () =>
        Promise.resolve(
          new HealthIndicatorService().check('cache').down({
            mode: 'cluster',
            cluster_state: 'fail',
            slots_fail: 5461,
            undeclared: 'dropped',
            detail: 'cluster_state is fail',
          }),
        ),
    };
    expect(await runCheck(indicator)).toEqual({
      status: 'error',
      mode: 'cluster',
      cluster_state: 'fail',
      slots_fail: 5461,
      latency_ms: expect.any(Number),
      detail: 'cluster_state is fail',
    });
  });

  it('keeps the list (and the declared fields) of a failed check that measured each item, so it shows which one failed', async () => {
    const hosts = [
      { host: '10.0.0.6:5432', status: 'ok', lag_bytes: 0, lag_seconds: 0, streaming: true, detail: null },
      {
        host: '10.0.0.7:5432',
        status: 'error',
        lag_bytes: null,
        lag_seconds: null,
        streaming: false,
        detail: 'refused',
      },
    ];
    const indicator: HealthIndicator = {
      definition: listingDefinition(),
      check: () =>
        Promise.resolve(
          new HealthIndicatorService()
            .check('replicas')
            .down({ total: 2, hosts, undeclared: 'dropped', detail: '10.0.0.7:5432 unreachable: refused' }),
        ),
    };
    expect(await runCheck(indicator)).toEqual({
      status: 'error',
      total: 2,
      hosts,
      latency_ms: expect.any(Number),
      detail: '10.0.0.7:5432 unreachable: refused',
    });
  });

  it('words a rejection as "<failure>: <reason>", redacted', async () => {
    const indicator: HealthIndicator = {
      definition: new FakeIndicator('cache').definition,
      check: () => Promise.reject(new Error('boom redis://:pw@h:1')),
    };
    expect(await runCheck(indicator)).toMatchObject({ status: 'error', detail: 'cache unreachable: boom redis://h:1' });
  });

  it('turns a synchronous throw into an error, not a crash', async () => {
    const indicator: HealthIndicator = {
      definition: new FakeIndicator('plugins').definition,
      check: () => {
        throw new Error('sync boom');
      },
    };
    expect(await runCheck(indicator)).toMatchObject({ status: 'error', detail: 'plugins unreachable: sync boom' });
  });

  describe('with a check that never answers', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('gives up after the declared timeout, says so, and aborts the check so it can free what it holds', async () => {
      const vault = new FakeIndicator('vault', { timeoutMs: 1500, operation: 'vault token lookup' });
      vault.mode = 'hang';
      let settled = false;
      const pending = runCheck(vault).finally(() => (settled = true));
      await jest.advanceTimersByTimeAsync(1499);
      expect(settled).toBe(false);
      expect(vault.lastSignal?.aborted).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await expect(pending).resolves.toMatchObject({
        status: 'error',
        detail: 'vault token lookup timed out after 1500 ms',
      });
      expect(vault.lastSignal?.aborted).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});

describe('evaluateChecks', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the checks concurrently: the cost is the slowest, not the sum', async () => {
    const checks = ['a', 'b', 'c'].map((key) => Object.assign(new FakeIndicator(key), { delayMs: 150 }));
    let evaluation: Awaited<ReturnType<typeof evaluateChecks>> | undefined;
    void evaluateChecks(checks).then((result) => (evaluation = result));
    await jest.advanceTimersByTimeAsync(150);
    expect(evaluation?.status).toBe('healthy');
    expect(checks.map((check) => check.calls)).toEqual([1, 1, 1]);
  });

  it('keeps the given order in the report', async () => {
    const evaluation = await evaluateChecks(['database', 'cache', 'plugins'].map((key) => new FakeIndicator(key)));
    expect(Object.keys(evaluation.checks)).toEqual(['database', 'cache', 'plugins']);
  });

  it('applies the status rules to the declared criticality', async () => {
    const database = new FakeIndicator('database', { critical: true });
    const cache = new FakeIndicator('cache');
    cache.mode = 'reject';
    expect((await evaluateChecks([database, cache])).status).toBe('degraded');
    database.mode = 'down';
    expect((await evaluateChecks([database, cache])).status).toBe('unhealthy');
    cache.mode = 'up';
    expect((await evaluateChecks([database, cache])).status).toBe('unhealthy');
    database.mode = 'up';
    expect((await evaluateChecks([database, cache])).status).toBe('healthy');
  });
});

describe('failingChecks', () => {
  it('lists the failed checks as "key: detail", in report order', () => {
    expect(
      failingChecks({
        database: { status: 'ok', latency_ms: 1, detail: null },
        cache: { status: 'error', latency_ms: 1, detail: 'refused' },
        plugins: { status: 'error', latency_ms: 1, detail: 'no folder' },
      }),
    ).toEqual(['cache: refused', 'plugins: no folder']);
  });
});
