import { httpStatusOf, type OverallStatus } from '../health/health-status';
import { isRecord } from '../common/is-record';
import { printable } from './health-cli-text';

/** The CLI's exit codes: what CI pipelines and scripts branch on. */
export const ExitCode = { healthy: 0, degraded: 1, failure: 2 } as const;
/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** One entry of `checks` as received; typed loosely because a newer server may add fields or statuses. */
export interface ReceivedCheck {
  readonly status: string;
  readonly [field: string]: unknown;
}

/** A report that passed validation: a known overall `status` and a `checks` object of checks with a `status`. */
export interface ReceivedReport {
  readonly status: OverallStatus;
  readonly checks: Readonly<Record<string, ReceivedCheck>>;
  readonly [field: string]: unknown;
}

/**
 * What one answer means. `report` is set when the body is a valid report; `problem` then is a warning (the HTTP
 * code disagrees with the body), and without a `report` it says why the answer is unusable.
 */
export interface Verdict {
  readonly exitCode: ExitCode;
  readonly report?: ReceivedReport;
  readonly problem?: string;
}

const EXIT_BY_STATUS: Readonly<Record<OverallStatus, ExitCode>> = { healthy: 0, degraded: 1, unhealthy: 2 };

/**
 * Judges an answer by the body's `status`, never by the HTTP code alone: the body is what the service decided,
 * while a code can be rewritten by a proxy. An HTTP code that disagrees with the body (200 with `unhealthy`)
 * keeps the body's exit code and adds a warning. Anything that is not a valid report — not JSON, no known
 * `status`, no `checks` object — exits 2: a check that cannot tell must not pass.
 */
export function judge(httpStatus: number, bodyText: string): Verdict {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    const shown = bodyText.trim() ? `"${printable(bodyText).slice(0, 80)}"` : 'an empty body';
    return { exitCode: ExitCode.failure, problem: `HTTP ${httpStatus} with ${shown}, not JSON` };
  }
  const invalid = whyInvalid(body);
  if (invalid !== undefined) return { exitCode: ExitCode.failure, problem: `HTTP ${httpStatus}, ${invalid}` };
  const report = body as ReceivedReport;
  const exitCode = EXIT_BY_STATUS[report.status];
  if (httpStatusOf(report.status) === httpStatus) return { exitCode, report };
  const problem = `HTTP ${httpStatus} disagrees with status "${report.status}"; judged by the status`;
  return { exitCode, report, problem };
}

/**
 * Whether the report is the one a caller without details gets: the overall status and each check's status, nothing
 * else (no `version`, and no check with a latency, count or detail).
 */
export function isStatusOnly(report: ReceivedReport): boolean {
  return (
    report.version === undefined &&
    Object.values(report.checks).every((check) => Object.keys(check).every((key) => key === 'status'))
  );
}

function whyInvalid(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the JSON is not an object';
  const { status, checks } = body;
  if (typeof status !== 'string' || !Object.hasOwn(EXIT_BY_STATUS, status)) {
    const shown = status === undefined ? 'missing' : printable(JSON.stringify(status)).slice(0, 40);
    return `"status" is ${shown}, not healthy, degraded or unhealthy`;
  }
  if (!isRecord(checks)) return '"checks" is not an object';
  for (const [name, check] of Object.entries(checks)) {
    if (!isRecord(check) || typeof check.status !== 'string') return `check "${printable(name)}" has no "status"`;
  }
  return undefined;
}
