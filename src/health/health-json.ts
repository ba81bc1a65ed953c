import { CheckResult, HealthReport, failingChecks } from './health-report';
import { OverallStatus } from './health-status';

/** The media type of the IETF "Health Check Response Format for HTTP APIs" draft. */
export const HEALTH_JSON = 'application/health+json';

/** pass / warn / fail, as the draft names them. */
export type HealthJsonStatus = 'pass' | 'warn' | 'fail';

/** One measurement of one component, as the draft defines it. */
export interface HealthJsonCheck {
  componentId?: string;
  componentType: string;
  observedValue?: number;
  observedUnit?: string;
  status: HealthJsonStatus;
  time: string;
  output?: string;
}

/** A whole health+json answer. */
export interface HealthJson {
  status: HealthJsonStatus;
  version: string;
  serviceId: string;
  description: string;
  output?: string;
  checks: Record<string, HealthJsonCheck[]>;
  links: Record<string, string>;
}

const OVERALL: Record<OverallStatus, HealthJsonStatus> = { healthy: 'pass', degraded: 'warn', unhealthy: 'fail' };

/** The draft's registered component types; a check without an entry is a plain `component`. */
const COMPONENT_TYPES: Readonly<Record<string, string>> = { database: 'datastore', cache: 'datastore' };

/**
 * Renders a report in the health+json draft: `healthy`/`degraded`/`unhealthy` become `pass`/`warn`/`fail`; each
 * check becomes `<key>:responseTime` (its latency in ms) and, where it counts things (`total`, `runnable`),
 * `<key>:count`. A check that failed is `fail` with its detail as `output`. Pure, so any future check is rendered
 * without changes here.
 */
export function toHealthJson(report: HealthReport, evaluatedAt: Date): HealthJson {
  const time = evaluatedAt.toISOString();
  const checks: Record<string, HealthJsonCheck[]> = {};
  for (const [key, check] of Object.entries(report.checks)) {
    const base = baseOf(key, check, time);
    if (typeof check.latency_ms === 'number') {
      checks[`${key}:responseTime`] = [{ ...base, observedValue: check.latency_ms, observedUnit: 'ms' }];
    }
    const counts = (['total', 'runnable'] as const).filter((name) => typeof check[name] === 'number');
    if (counts.length) {
      checks[`${key}:count`] = counts.map((name) => ({
        componentId: name,
        ...base,
        observedValue: check[name] as number,
        observedUnit: 'plugins',
      }));
    }
    if (!checks[`${key}:responseTime`] && !checks[`${key}:count`]) checks[key] = [base];
  }
  const failing = failingChecks(report.checks);
  return {
    status: OVERALL[report.status],
    version: report.version,
    serviceId: 'secuscan-health',
    description: 'health of the SecuScan scanner: PostgreSQL, Redis and the plugin registry',
    ...(failing.length ? { output: failing.join('; ') } : {}),
    checks,
    links: { about: '/api/docs' },
  };
}

function baseOf(key: string, check: CheckResult, time: string): HealthJsonCheck {
  return {
    componentType: COMPONENT_TYPES[key] ?? 'component',
    status: check.status === 'ok' ? 'pass' : 'fail',
    time,
    ...(check.detail ? { output: check.detail } : {}),
  };
}
