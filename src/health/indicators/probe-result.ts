import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { timed } from '../../common/latency';
import { describeFailure } from '../../common/redact';

/** Terminus does not export its session class; this is what `HealthIndicatorService.check(key)` returns. */
type HealthIndicatorSession = ReturnType<HealthIndicatorService['check']>;

/**
 * Times `probe` and turns its outcome into a Terminus result: `up` with `latency_ms`, or `down` with `latency_ms`
 * and a redacted `detail` ("<what>: <reason>", or the timeout's own message). Shared by every network indicator so
 * they measure and word failures the same way.
 */
export async function probeResult(
  session: HealthIndicatorSession,
  what: string,
  probe: () => Promise<void>,
): Promise<HealthIndicatorResult> {
  const result = await timed(probe);
  if (result.ok) return session.up({ latency_ms: result.latencyMs });
  return session.down({ latency_ms: result.latencyMs, detail: describeFailure(what, result.error) });
}
