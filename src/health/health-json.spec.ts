import { DEGRADED, HEALTHY, UNHEALTHY } from './dto/health-examples';
import { HealthReport } from './health-report';
import { toHealthJson } from './health-json';

const AT = new Date('2026-11-25T10:00:00.000Z');

describe('toHealthJson (IETF health check response format)', () => {
  it('maps healthy / degraded / unhealthy to pass / warn / fail', () => {
    expect(toHealthJson(HEALTHY, AT).status).toBe('pass');
    expect(toHealthJson(DEGRADED, AT).status).toBe('warn');
    expect(toHealthJson(UNHEALTHY, AT).status).toBe('fail');
  });

  it('renders a healthy report with responseTime and count checks', () => {
    expect(toHealthJson(HEALTHY, AT)).toEqual({
      status: 'pass',
      version: '1.0.0',
      serviceId: 'secuscan-health',
      description: expect.any(String),
      checks: {
        'database:responseTime': [
          {
            componentType: 'datastore',
            status: 'pass',
            time: AT.toISOString(),
            observedValue: 2.4,
            observedUnit: 'ms',
          },
        ],
        'cache:responseTime': [
          {
            componentType: 'datastore',
            status: 'pass',
            time: AT.toISOString(),
            observedValue: 0.8,
            observedUnit: 'ms',
          },
        ],
        'plugins:responseTime': [
          {
            componentType: 'component',
            status: 'pass',
            time: AT.toISOString(),
            observedValue: 0.9,
            observedUnit: 'ms',
          },
        ],
        'plugins:count': [
          {
            componentId: 'total',
            componentType: 'component',
            status: 'pass',
            time: AT.toISOString(),
            observedValue: 12,
            observedUnit: 'plugins',
          },
          {
            componentId: 'runnable',
            componentType: 'component',
            status: 'pass',
            time: AT.toISOString(),
            observedValue: 10,
            observedUnit: 'plugins',
          },
        ],
      },
      links: { about: '/api/docs' },
    });
  });

  it('marks a failed check fail, with its detail as output, and sums up the failures', () => {
    const json = toHealthJson(DEGRADED, AT);
    expect(json.checks['cache:responseTime'][0]).toMatchObject({
      status: 'fail',
      output: 'redis PING timed out after 1000 ms',
    });
    expect(json.checks['database:responseTime'][0].output).toBeUndefined();
    expect(json.output).toBe('cache: redis PING timed out after 1000 ms');
    expect(toHealthJson(HEALTHY, AT).output).toBeUndefined();
  });

  it('renders a future check it knows nothing about', () => {
    const report: HealthReport = {
      ...HEALTHY,
      checks: {
        vault: { status: 'error', detail: 'sealed' },
        scheduler: { status: 'ok', latency_ms: 3, detail: null },
      },
    };
    const json = toHealthJson(report, AT);
    expect(json.checks.vault).toEqual([
      { componentType: 'component', status: 'fail', time: AT.toISOString(), output: 'sealed' },
    ]);
    expect(json.checks['scheduler:responseTime'][0]).toMatchObject({ observedValue: 3, componentType: 'component' });
  });
});
