import { Injectable } from '@nestjs/common';
import type { CheckRegistration, IndicatorResult } from '../../src/health';
import { HealthService } from '../../src/health';
import type { RunningApp } from './app';
import { FakeIndicator } from './fake-indicator';

/** A non-critical check that fails every other time it runs: each evaluation turns the service healthy or degraded. */
@Injectable()
export class FlappingIndicator extends FakeIndicator {
  constructor() {
    super('flapper');
  }

  override check(signal: AbortSignal): Promise<IndicatorResult> {
    this.mode = this.calls % 2 ? 'down' : 'up';
    return super.check(signal);
  }
}

/** The one check of an app whose every evaluation is a status transition, with no dependency to run. */
export const FLAPPING_CHECK: CheckRegistration = { load: () => ({ indicator: FlappingIndicator }) };

/**
 * Makes `service` (started with {@link FLAPPING_CHECK} and `HEALTH_CACHE_TTL_MS=0`) record `count` more transitions,
 * evaluating in process, one after the other: thousands a second, where each over HTTP would cost a request.
 */
export async function flap(service: RunningApp, count: number): Promise<void> {
  const health = service.app.get(HealthService);
  for (let i = 0; i < count; i++) await health.snapshot();
}
