import { definitionOf, listingDefinition } from '../../test/support/fake-indicator';
import { shippedDefinitions } from '../../test/support/shipped-checks';
import { HealthReportDto } from './dto/health-report.dto';
import { exampleReports } from './health-examples';
import { answerHealthJson, healthJsonLinks, SHUTTING_DOWN_NOTE, toHealthJson } from './health-json';

const AT = new Date('2026-11-25T10:00:00.000Z');
const time = AT.toISOString();
const definitions = shippedDefinitions();
const examples = exampleReports(definitions, '1.0.0');
const HEALTHY = examples.healthy;
const DEGRADED = examples.degraded as HealthReportDto;
const UNHEALTHY = examples.unhealthy as HealthReportDto;

describe('toHealthJson (IETF health check response format)', () => {
  it('maps healthy / degraded / unhealthy to pass / warn / fail', () => {
    expect(toHealthJson(HEALTHY, definitions, AT).status).toBe('pass');
    expect(toHealthJson(DEGRADED, definitions, AT).status).toBe('warn');
    expect(toHealthJson(UNHEALTHY, definitions, AT).status).toBe('fail');
  });

  it('renders a healthy report: a response time per check and one entry per declared number', () => {
    expect(toHealthJson(HEALTHY, definitions, AT)).toEqual({
      status: 'pass',
      version: '1.0.0',
      serviceId: 'secuscan-health',
      description: expect.any(String),
      checks: {
        'database:responseTime': [
          { componentType: 'datastore', status: 'pass', time, observedValue: 2.4, observedUnit: 'ms' },
        ],
        'cache:responseTime': [
          { componentType: 'datastore', status: 'pass', time, observedValue: 0.8, observedUnit: 'ms' },
        ],
        'plugins:responseTime': [
          { componentType: 'component', status: 'pass', time, observedValue: 0.9, observedUnit: 'ms' },
        ],
        'plugins:total': [
          { componentType: 'component', status: 'pass', time, observedValue: 13, observedUnit: '{plugin}' },
        ],
        'plugins:runnable': [
          { componentType: 'component', status: 'pass', time, observedValue: 10, observedUnit: '{plugin}' },
        ],
        'plugins:blocked': [
          { componentType: 'component', status: 'pass', time, observedValue: 2, observedUnit: '{plugin}' },
        ],
        'plugins:disabled': [
          { componentType: 'component', status: 'pass', time, observedValue: 1, observedUnit: '{plugin}' },
        ],
        'plugins:invalid': [
          { componentType: 'component', status: 'pass', time, observedValue: 0, observedUnit: '{plugin}' },
        ],
      },
    });
  });

  it('marks a failed check fail with its detail as output and no made-up reading, and sums up the failures', () => {
    const json = toHealthJson(DEGRADED, definitions, AT);
    expect(json.checks['cache:responseTime']).toEqual([
      { componentType: 'datastore', status: 'fail', time, output: 'redis PING timed out after 1000 ms' },
    ]);
    expect(json.checks['database:responseTime'][0].output).toBeUndefined();
    expect(json.output).toBe('cache: redis PING timed out after 1000 ms');
    expect(toHealthJson(HEALTHY, definitions, AT).output).toBeUndefined();
  });

  it('drops the declared numbers of a check that failed', () => {
    const report: HealthReportDto = {
      ...HEALTHY,
      status: 'degraded',
      checks: { ...HEALTHY.checks, plugins: { status: 'error', latency_ms: 0.3, detail: 'no folder' } },
    };
    const json = toHealthJson(report, definitions, AT);
    expect(json.checks['plugins:total']).toBeUndefined();
    expect(json.checks['plugins:responseTime']).toEqual([
      { componentType: 'component', status: 'fail', time, output: 'no folder' },
    ]);
  });

  it('renders any registered check from its definition alone', () => {
    const vault = definitionOf('vault', {
      componentType: 'system',
      fields: { leases: { description: 'x', example: 1 } },
    });
    const report: HealthReportDto = {
      status: 'healthy',
      version: '2',
      uptime_seconds: 1,
      checks: { vault: { status: 'ok', leases: 4, latency_ms: 3, detail: null } },
    };
    expect(toHealthJson(report, [vault], AT).checks).toEqual({
      'vault:responseTime': [{ componentType: 'system', status: 'pass', time, observedValue: 3, observedUnit: 'ms' }],
      'vault:leases': [{ componentType: 'system', status: 'pass', time, observedValue: 4, observedUnit: '1' }],
    });
  });

  it('gives every reading a unit and never uses componentId to tell measurements apart', () => {
    for (const report of [HEALTHY, DEGRADED, UNHEALTHY]) {
      for (const [key, entries] of Object.entries(toHealthJson(report, definitions, AT).checks)) {
        expect(key.split(':')).toHaveLength(2);
        expect(entries).toHaveLength(1);
        for (const entry of entries) {
          expect(entry).not.toHaveProperty('componentId');
          if ('observedValue' in entry) expect(entry.observedUnit).toEqual(expect.any(String));
        }
      }
    }
  });

  it('gives a list one reading per item and number, told apart by componentId, each with its own status', () => {
    const replicas = listingDefinition();
    const report: HealthReportDto = {
      status: 'degraded',
      version: '1.0.0',
      uptime_seconds: 1,
      checks: {
        replicas: {
          status: 'error',
          total: 2,
          hosts: [
            { host: '10.0.0.6:5432', status: 'ok', lag_bytes: 120, lag_seconds: 0.5, streaming: true, detail: null },
            {
              host: '10.0.0.7:5432',
              status: 'error',
              lag_bytes: null,
              lag_seconds: null,
              streaming: false,
              detail: 'refused',
            },
          ],
          latency_ms: 3,
          detail: '10.0.0.7:5432 unreachable: refused',
        },
      },
    };
    const json = toHealthJson(report, [replicas], AT);
    const common = { componentType: 'datastore', time };
    expect(json.checks['replicas:lag_bytes']).toEqual([
      { ...common, componentId: '10.0.0.6:5432', status: 'pass', observedValue: 120, observedUnit: 'By' },
      { ...common, componentId: '10.0.0.7:5432', status: 'fail', output: 'refused' },
    ]);
    expect(json.checks['replicas:lag_seconds']?.[0]).toMatchObject({ observedValue: 0.5, observedUnit: 's' });
    // Strings and booleans are no readings; the failed check keeps its one response-time entry.
    expect(Object.keys(json.checks).sort()).toEqual([
      'replicas:lag_bytes',
      'replicas:lag_seconds',
      'replicas:responseTime',
    ]);
  });

  describe('healthJsonLinks', () => {
    it('are relative to the origin the client used without a public URL', () => {
      expect(healthJsonLinks(undefined, '/api/v1/health')).toEqual({ about: '/api/docs', self: '/api/v1/health' });
    });

    it('are absolute under the public URL, its path kept', () => {
      expect(healthJsonLinks('https://example.com/secuscan', '/api/v1/health')).toEqual({
        about: 'https://example.com/secuscan/api/docs',
        self: 'https://example.com/secuscan/api/v1/health',
      });
    });
  });

  describe('answerHealthJson', () => {
    const links = healthJsonLinks('http://h:1', '/api/v1/health');

    it('adds the links, and nothing else while serving', () => {
      const json = toHealthJson(HEALTHY, definitions, AT);
      expect(answerHealthJson(json, { links, shuttingDown: false })).toEqual({ ...json, links });
      expect(answerHealthJson(json, { shuttingDown: false })).toEqual(json);
      expect(json).not.toHaveProperty('links');
    });

    it('while draining, turns pass into warn with a note, and leaves warn and fail as they are', () => {
      const draining = (report: HealthReportDto) =>
        answerHealthJson(toHealthJson(report, definitions, AT), { shuttingDown: true });
      expect(draining(HEALTHY)).toMatchObject({ status: 'warn', notes: [SHUTTING_DOWN_NOTE] });
      expect(draining(HEALTHY)).not.toHaveProperty('output');
      expect(draining(DEGRADED)).toMatchObject({ status: 'warn', notes: [SHUTTING_DOWN_NOTE] });
      expect(draining(UNHEALTHY)).toMatchObject({ status: 'fail', notes: [SHUTTING_DOWN_NOTE] });
    });

    it("adds the annotations' notes after the drain's, and leaves the status as it is", () => {
      const json = toHealthJson(HEALTHY, definitions, AT);
      const note = 'maintenance until 2026-12-05T18:30:00.000Z; notifications are held';
      expect(answerHealthJson(json, { shuttingDown: false, notes: [note] })).toEqual({ ...json, notes: [note] });
      expect(answerHealthJson(json, { shuttingDown: true, notes: [note] })).toMatchObject({
        status: 'warn',
        notes: [SHUTTING_DOWN_NOTE, note],
      });
    });
  });
});
