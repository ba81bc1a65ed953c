/** One check's state in a report. */
export type CheckStatus = 'ok' | 'error';

/** The report's overall state. */
export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What the status rules need to know about one check. */
export interface CheckVerdict {
  readonly status: CheckStatus;
  /** A critical check (the database) makes the service unhealthy when it fails; any other only degrades it. */
  readonly critical: boolean;
}

/**
 * The status rules, as a pure function: `unhealthy` when a critical check failed, else `degraded` when any other
 * check failed, else `healthy` (also when there are no checks at all: nothing is known to be broken).
 */
export function overallStatus(verdicts: Iterable<CheckVerdict>): OverallStatus {
  let degraded = false;
  for (const verdict of verdicts) {
    if (verdict.status === 'ok') continue;
    if (verdict.critical) return 'unhealthy';
    degraded = true;
  }
  return degraded ? 'degraded' : 'healthy';
}

/** The HTTP code for a status: a degraded service still serves, so only `unhealthy` is 503. */
export function httpStatusOf(status: OverallStatus): 200 | 503 {
  return status === 'unhealthy' ? 503 : 200;
}
