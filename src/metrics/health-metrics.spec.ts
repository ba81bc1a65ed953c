import { HealthSnapshot } from '../health/health.service';
import { HealthReportDto } from '../health/dto/health-report.dto';
import { HealthMetrics } from './health-metrics';

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
  return { report, httpStatus: 200, body: '', healthJsonBody: '', finishedAt: 0 };
}

describe('HealthMetrics', () => {
  it('exposes zeroed series before any evaluation, and the default process metrics', async () => {
    const text = await new HealthMetrics().registry.metrics();
    expect(text).toContain('secuscan_health_evaluations_total{status="healthy"} 0');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('records the overall status, each check up/down and its latency', async () => {
    const metrics = new HealthMetrics({ version: '9' });
    metrics.record(snapshot('healthy', true));
    metrics.record(snapshot('degraded', false));
    const text = await metrics.registry.metrics();
    expect(text).toContain('secuscan_health_status{status="degraded",version="9"} 1');
    expect(text).toContain('secuscan_health_status{status="healthy",version="9"} 0');
    expect(text).toContain('secuscan_health_check_up{check="cache",version="9"} 0');
    expect(text).toContain('secuscan_health_check_up{check="database",version="9"} 1');
    expect(text).toContain('secuscan_health_evaluations_total{status="healthy",version="9"} 1');
    expect(text).toContain('secuscan_health_evaluations_total{status="degraded",version="9"} 1');
    expect(text).toMatch(/secuscan_health_check_latency_seconds_bucket\{le="1",version="9",check="cache"\} 2/);
    expect(text).toMatch(/secuscan_health_check_latency_seconds_bucket\{le="0.5",version="9",check="cache"\} 1/);
    expect(text).toMatch(/secuscan_health_check_latency_seconds_count\{version="9",check="database"\} 2/);
    expect(text).toMatch(/secuscan_health_last_evaluation_timestamp_seconds\{version="9"\} \d{10}/);
    expect(text).toContain('secuscan_health_check_value{check="plugins",field="total",version="9"} 3');
    expect(text).toContain('secuscan_health_check_value{check="plugins",field="runnable",version="9"} 1');
  });

  it('keeps registries apart, so two apps in one process do not collide', () => {
    expect(() => {
      new HealthMetrics();
      new HealthMetrics();
    }).not.toThrow();
  });
});
