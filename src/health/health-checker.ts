import { timed } from '../common/latency';
import { describeFailure, redact } from '../common/redact';
import { withTimeout } from '../common/timeout';
import { CheckResultDto } from './dto/check-result.dto';
import type { CheckDefinition, HealthIndicator } from './health-indicator';
import { OverallStatus, overallStatus } from './health-status';

/** The outcome of one evaluation of every check, before `version` and `uptime_seconds` are added. */
export interface Evaluation {
  readonly status: OverallStatus;
  readonly checks: Record<string, CheckResultDto>;
}

/**
 * Runs one check: measures it, bounds it by the check's timeout (aborting its signal so the indicator frees its
 * socket or pool slot), and turns its answer into a report entry. A rejection becomes an `error` whose detail says
 * what timed out after how long, or what failed and why; every detail is redacted. Never rejects.
 */
export async function runCheck(indicator: HealthIndicator): Promise<CheckResultDto> {
  const { key, timeoutMs, operation, failure } = indicator.definition;
  const controller = new AbortController();
  const result = await timed(() =>
    withTimeout(
      // A synchronous throw becomes a rejection, so it is worded like any failure.
      Promise.resolve().then(() => indicator.check(controller.signal)),
      timeoutMs,
      operation,
      () => controller.abort(),
    ),
  );
  const latency_ms = result.latencyMs;
  const always = zeroes(indicator.definition);
  if (!result.ok) return { status: 'error', ...always, latency_ms, detail: describeFailure(failure, result.error) };
  const { status, detail, ...fields } = result.value[key];
  if (status === 'up') return { status: 'ok', ...fields, latency_ms, detail: null };
  // A check that could still count (the plugin registry: "0 of 13 runnable") keeps its numbers beside the detail, and
  // one that could still tell what it saw (Redis: "cluster_state": "fail") or measured each item (the replicas) keeps
  // what it declares, so the report shows what failed.
  const { fields: declared = {}, items } = indicator.definition;
  const measured = Object.fromEntries(
    Object.entries(fields).filter(
      ([name, value]) => typeof value === 'number' || Object.hasOwn(declared, name) || name === items?.name,
    ),
  );
  return {
    status: 'error',
    ...always,
    ...measured,
    latency_ms,
    detail: redact(typeof detail === 'string' && detail ? detail : failure),
  };
}

/** The fields the check declares present in every result, at 0: what a failure that could not count reports. */
function zeroes({ fields = {} }: CheckDefinition): Record<string, number> {
  return Object.fromEntries(
    Object.entries(fields)
      .filter(([, field]) => field.always)
      .map(([name]) => [name, 0]),
  );
}

/**
 * Waits until every check's start-up work is in ({@link HealthIndicator.started}): TypeORM loaded, the plugins
 * scanned and their packages listed. The first evaluation runs no check before that, so no check's timeout or
 * latency includes that work, nor the event loop it holds while a package loads. Never rejects.
 */
export async function startChecks(indicators: readonly HealthIndicator[]): Promise<void> {
  await Promise.all(
    indicators.map((indicator) =>
      Promise.resolve()
        .then(() => indicator.started?.())
        .catch(() => undefined),
    ),
  );
}

/**
 * Runs every check concurrently — a report costs about the slowest check, never their sum — and applies the status
 * rules. The report lists the checks in the order given.
 */
export async function evaluateChecks(indicators: readonly HealthIndicator[]): Promise<Evaluation> {
  const results = await Promise.all(indicators.map(runCheck));
  const verdicts = indicators.map(({ definition }, i) => ({
    critical: definition.critical,
    status: results[i].status,
  }));
  return {
    status: overallStatus(verdicts),
    checks: Object.fromEntries(indicators.map(({ definition }, i) => [definition.key, results[i]])),
  };
}

/**
 * The failed checks as "key: detail" lines, in report order: the one wording that logs, readiness reasons and the
 * health+json `output` all use.
 */
export function failingChecks(checks: Readonly<Record<string, CheckResultDto>>): string[] {
  return Object.entries(checks)
    .filter(([, check]) => check.status === 'error')
    .map(([key, check]) => `${key}: ${check.detail}`);
}

/**
 * The failed checks as "key failing", in report order: {@link failingChecks} for a caller who may not see details,
 * whom why a check fails could tell internal hosts, roles and paths.
 */
export function failingCheckNames(checks: Readonly<Record<string, { readonly status: string }>>): string[] {
  return Object.entries(checks)
    .filter(([, check]) => check.status === 'error')
    .map(([key]) => `${key} failing`);
}
