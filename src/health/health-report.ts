import { HealthIndicatorResult } from '@nestjs/terminus';
import { describeError } from '../common/redact';
import { HealthCheck } from './health-check.registration';
import { CheckStatus, OverallStatus, overallStatus } from './health-status';

/** One entry of `checks` in the report. Indicators may add fields (`total`, `runnable`); none is ever removed. */
export interface CheckResult {
  status: CheckStatus;
  latency_ms?: number;
  detail: string | null;
  [extra: string]: unknown;
}

/** The body of `GET /api/v1/health`, as fixed by SPEC.md. */
export interface HealthReport {
  status: OverallStatus;
  version: string;
  uptime_seconds: number;
  checks: Record<string, CheckResult>;
}

/** The outcome of one evaluation of every check, before `version` and `uptime_seconds` are added. */
export interface Evaluation {
  status: OverallStatus;
  checks: Record<string, CheckResult>;
}

/**
 * The failed checks as "key: detail" lines, in report order: the one wording that logs, readiness reasons and the
 * health+json `output` all use.
 */
export function failingChecks(checks: Record<string, CheckResult>): string[] {
  return Object.entries(checks)
    .filter(([, check]) => check.status === 'error')
    .map(([key, check]) => `${key}: ${check.detail}`);
}

/** Maps a Terminus result onto the report's shape: `up` → `ok` with `detail: null`, `down` → `error`. */
export function toCheckResult(key: string, result: HealthIndicatorResult | undefined): CheckResult {
  const entry = result?.[key];
  if (!entry) return { status: 'error', detail: `indicator returned no result for "${key}"` };
  const { status, detail, ...extra } = entry as { status: string; detail?: unknown } & Record<string, unknown>;
  if (status === 'up') return { status: 'ok', ...extra, detail: null };
  return { status: 'error', ...extra, detail: typeof detail === 'string' && detail ? detail : 'check failed' };
}

/**
 * Runs every check concurrently — a report costs about the slowest probe, never their sum — and applies the status
 * rules. A check that throws or rejects (synchronously too) becomes an `error` with a redacted detail, so a broken
 * indicator can never turn the answer into a 500 or an `ok`.
 */
export async function evaluateChecks(checks: readonly HealthCheck[]): Promise<Evaluation> {
  const results = await Promise.all(
    checks.map(async ({ key, indicator }): Promise<CheckResult> => {
      try {
        return toCheckResult(key, await indicator.check(key));
      } catch (error) {
        return { status: 'error', detail: describeError(error) };
      }
    }),
  );
  const entries = checks.map(({ key }, i) => [key, results[i]] as const);
  return {
    status: overallStatus(checks.map(({ critical }, i) => ({ critical, status: results[i].status }))),
    checks: Object.fromEntries(entries),
  };
}
