import { HealthJsonCheckDto, HealthJsonDto, HealthJsonStatus } from './dto/health-json.dto';
import { HealthReportDto } from './dto/health-report.dto';
import { failingChecks } from './health-checker';
import type { CheckDefinition } from './health-indicator';
import { OverallStatus } from './health-status';

/** The media type of the IETF "Health Check Response Format for HTTP APIs" draft. */
export const HEALTH_JSON = 'application/health+json';

/**
 * Whether an `Accept` header asks for health+json: one of its media ranges is exactly that type (parameters such as
 * `;q=0.9` aside), so `application/health+jsonx` or `text/application/health+json` do not count.
 */
export function acceptsHealthJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => range.split(';', 1)[0].trim().toLowerCase() === HEALTH_JSON);
}

const OVERALL: Record<OverallStatus, HealthJsonStatus> = { healthy: 'pass', degraded: 'warn', unhealthy: 'fail' };

/**
 * Renders a report in the health+json draft: `healthy`/`degraded`/`unhealthy` become `pass`/`warn`/`fail`. A check
 * that succeeded becomes `<key>:responseTime` (its latency in ms) plus `<key>:<field>` for each number it declares;
 * a check that failed becomes one `fail` entry with its detail as `output` and no reading, since a refused
 * connection measured nothing. Component types come from the checks' definitions.
 */
export function toHealthJson(
  report: HealthReportDto,
  definitions: readonly CheckDefinition[],
  evaluatedAt: Date,
): HealthJsonDto {
  const time = evaluatedAt.toISOString();
  const checks: Record<string, HealthJsonCheckDto[]> = {};
  for (const definition of definitions) {
    const check = report.checks[definition.key];
    if (!check) continue;
    const componentType = definition.componentType;
    if (check.status === 'error') {
      checks[`${definition.key}:responseTime`] = [
        { componentType, status: 'fail', time, ...(check.detail ? { output: check.detail } : {}) },
      ];
      continue;
    }
    checks[`${definition.key}:responseTime`] = [
      { componentType, status: 'pass', time, observedValue: check.latency_ms, observedUnit: 'ms' },
    ];
    for (const field of Object.keys(definition.fields ?? {})) {
      const value = check[field];
      if (typeof value === 'number') {
        checks[`${definition.key}:${field}`] = [{ componentType, status: 'pass', time, observedValue: value }];
      }
    }
  }
  const failing = failingChecks(report.checks);
  return {
    status: OVERALL[report.status],
    version: report.version,
    serviceId: 'secuscan-health',
    description: 'health of the SecuScan scanner and its dependencies',
    ...(failing.length ? { output: failing.join('; ') } : {}),
    checks,
    links: { about: '/api/docs' },
  };
}
