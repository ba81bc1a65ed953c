import type { HealthJsonStatus } from './dto/health-json.dto';
import type { HealthReportDto } from './dto/health-report.dto';
import { healthJsonStatusOf } from './health-json';
import type { OverallStatus } from './health-status';

/** The report for a caller who may not see details: the overall status and each check's status, nothing else. */
export interface HealthSummary {
  readonly status: OverallStatus;
  readonly checks: Record<string, { status: 'ok' | 'error' }>;
}

/** The same, in health+json. */
export interface HealthJsonSummary {
  readonly status: HealthJsonStatus;
  readonly checks: Record<string, Array<{ status: HealthJsonStatus }>>;
}

/**
 * Drops every detail from a report: no version, uptime, latency, counts or failure text (which can name internal
 * hosts, roles and paths). The HTTP code stays the full report's.
 */
export function summarize(report: HealthReportDto): HealthSummary {
  const checks: Record<string, { status: 'ok' | 'error' }> = {};
  for (const [key, check] of Object.entries(report.checks)) checks[key] = { status: check.status };
  return { status: report.status, checks };
}

/** {@link summarize} in health+json: `pass`/`warn`/`fail` overall, `pass`/`fail` per check. */
export function summarizeHealthJson(report: HealthReportDto): HealthJsonSummary {
  const checks: Record<string, Array<{ status: HealthJsonStatus }>> = {};
  for (const [key, check] of Object.entries(report.checks)) {
    checks[key] = [{ status: check.status === 'ok' ? 'pass' : 'fail' }];
  }
  return { status: healthJsonStatusOf(report.status), checks };
}
