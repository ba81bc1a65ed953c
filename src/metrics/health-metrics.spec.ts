import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HealthSnapshot } from '../health/health.service';
import { HealthReportDto } from '../health/dto/health-report.dto';
import { HealthMetrics } from './health-metrics';
import { listingDefinition } from '../../test/support/fake-indicator';

function snapshot(status: HealthReportDto['status'], cacheOk: boolean): HealthSnapshot {
  const report: HealthReportDto = {
    status,
    version: '1',
    uptime_seconds: 1,
    checks: {
      database: { status: 'ok', latency_ms: 2, detail: null },
      cache: cacheOk
        ? { status: 'ok', latency_ms: 1, detail: null }
        : { status: 'error', latency_ms: 1000, detail: 'x' },
      plugins: { status: 'ok', total: 3, runnable: 1, latency_ms: 0.5, detail: null },
    },
  };
  return {
    report,
    httpStatus: 200,
    body: '',
    healthJson: { status: 'pass', version: '1', serviceId: 's', description: 'd', checks: {} },
    summaryBody: '',
    summaryHealthJson: { status: 'pass', checks: {} },
    finishedAt: 0,
  };
}

describe('HealthMetrics', () => {
  it('exposes zeroed series before any evaluation, and the default process metrics', async () => {
    const text = await new HealthMetrics('1').registry.metrics();
    expect(text).toContain('secuscan_health_evaluations_total{status="healthy"} 0');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('says its version once, in build_info, and no gauge ends in _total', async () => {
    const text = await new HealthMetrics('9.8.7').registry.metrics();
    expect(text).toContain('secuscan_health_build_info{version="9.8.7"} 1');
    expect(text.match(/version="9\.8\.7"/g)).toHaveLength(1);
    // The by-type gauge stays (its series exist only while some handle is open).
    expect(text).toContain('# TYPE nodejs_active_handles gauge');
    const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map(([, name]) => name);
    expect(gauges.filter((name) => name.endsWith('_total'))).toEqual([]);
  });

  it('counts the open event streams at every scrape', async () => {
    const metrics = new HealthMetrics('1');
    let open = 0;
    metrics.countEventStreams(() => open);
    expect(await metrics.registry.metrics()).toMatch(/^# TYPE secuscan_health_event_stream_subscribers gauge$/m);
    expect(await metrics.registry.metrics()).toMatch(/^secuscan_health_event_stream_subscribers 0$/m);
    open = 3;
    expect(await metrics.registry.metrics()).toMatch(/^secuscan_health_event_stream_subscribers 3$/m);
  });

  it('records the overall status, each check up/down and its latency', async () => {
    const metrics = new HealthMetrics('9');
    metrics.record(snapshot('healthy', true));
    metrics.record(snapshot('degraded', false));
    const text = await metrics.registry.metrics();
    expect(text).toContain('secuscan_health_status{status="degraded"} 1');
    expect(text).toContain('secuscan_health_status{status="healthy"} 0');
    expect(text).toContain('secuscan_health_check_up{check="cache"} 0');
    expect(text).toContain('secuscan_health_check_up{check="database"} 1');
    expect(text).toContain('secuscan_health_evaluations_total{status="healthy"} 1');
    expect(text).toContain('secuscan_health_evaluations_total{status="degraded"} 1');
    expect(text).toMatch(/secuscan_health_check_latency_seconds_bucket\{le="1",check="cache"\} 2/);
    expect(text).toMatch(/secuscan_health_check_latency_seconds_bucket\{le="0.5",check="cache"\} 1/);
    expect(text).toMatch(/secuscan_health_check_latency_seconds_count\{check="database"\} 2/);
    expect(text).toMatch(/secuscan_health_last_evaluation_timestamp_seconds \d{10}/);
    expect(text).toContain('secuscan_health_check_value{check="plugins",field="total"} 3');
    expect(text).toContain('secuscan_health_check_value{check="plugins",field="runnable"} 1');
  });

  it('records each item of a check that lists some: its up, its numbers and booleans, and drops what is gone', async () => {
    const metrics = new HealthMetrics('9', [listingDefinition()]);
    const withHosts = (hosts: Array<Record<string, unknown>>): HealthSnapshot => {
      const base = snapshot('healthy', true);
      const replicas = { status: 'ok' as const, total: hosts.length, hosts, latency_ms: 3, detail: null };
      return { ...base, report: { ...base.report, checks: { ...base.report.checks, replicas } } };
    };
    const a = { host: '10.0.0.6:5432', status: 'ok', lag_bytes: 120, lag_seconds: 0.5, streaming: true, detail: null };
    const b = {
      host: '10.0.0.7:5432',
      status: 'error',
      lag_bytes: 9,
      lag_seconds: null,
      streaming: false,
      detail: 'x',
    };
    metrics.record(withHosts([a, b]));
    let text = await metrics.registry.metrics();
    expect(text).toContain('secuscan_health_check_item_up{check="replicas",item="10.0.0.6:5432"} 1');
    expect(text).toContain('secuscan_health_check_item_up{check="replicas",item="10.0.0.7:5432"} 0');
    expect(text).toContain(
      'secuscan_health_check_item_value{check="replicas",item="10.0.0.6:5432",field="lag_bytes"} 120',
    );
    expect(text).toContain(
      'secuscan_health_check_item_value{check="replicas",item="10.0.0.6:5432",field="lag_seconds"} 0.5',
    );
    expect(text).toContain(
      'secuscan_health_check_item_value{check="replicas",item="10.0.0.6:5432",field="streaming"} 1',
    );
    expect(text).toContain(
      'secuscan_health_check_item_value{check="replicas",item="10.0.0.7:5432",field="streaming"} 0',
    );
    expect(text).not.toMatch(/item="10\.0\.0\.7:5432",field="lag_seconds"/);
    expect(text).not.toMatch(/field="(host|status|detail)"/);
    // b is no longer listed, a's lag no longer measured: no stale series stays.
    metrics.record(withHosts([{ ...a, lag_seconds: null }]));
    text = await metrics.registry.metrics();
    expect(text).not.toContain('10.0.0.7:5432');
    expect(text).not.toMatch(/field="lag_seconds"/);
    expect(text).toContain(
      'secuscan_health_check_item_value{check="replicas",item="10.0.0.6:5432",field="lag_bytes"} 120',
    );
  });

  it('keeps registries apart, so two apps in one process do not collide', () => {
    expect(() => {
      new HealthMetrics('1');
      new HealthMetrics('1');
    }).not.toThrow();
  });

  it('stops its default metrics with the app: nothing of a destroyed instance stays in memory, unlike a running one', async () => {
    // A full collection on demand, as `node --expose-gc` would offer.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const collectable = async (destroy: boolean): Promise<boolean> => {
      const ref = await (async () => {
        const metrics = new HealthMetrics('1');
        await metrics.registry.metrics(); // a scrape, as Prometheus makes one
        if (destroy) metrics.onModuleDestroy();
        return new WeakRef(metrics.registry);
      })();
      // Two collections a moment apart: observer entries queued before the disconnect are delivered in between.
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
      gc();
      return ref.deref() === undefined;
    };
    expect(await collectable(false)).toBe(false);
    expect(await collectable(true)).toBe(true);
  });
});
