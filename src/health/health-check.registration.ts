import { Provider, Type } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * What every indicator implements: probe one dependency and return a Terminus result keyed by `key`, `up` or
 * `down`, with `latency_ms`, `detail` and any extra fields (`total`, `runnable`) for the report. Indicators return
 * `down` instead of throwing; the aggregator still turns a throw into an error so no indicator can crash a report.
 */
export interface HealthIndicatorPort {
  check(key: string): Promise<HealthIndicatorResult>;
}

/** One line of the health module's check list: the report key, the indicator class and whether it is critical. */
export interface HealthCheckRegistration {
  readonly key: string;
  readonly indicator: Type<HealthIndicatorPort>;
  readonly critical: boolean;
}

/** A registration with its indicator instance resolved by Nest. */
export interface HealthCheck {
  readonly key: string;
  readonly indicator: HealthIndicatorPort;
  readonly critical: boolean;
}

/** Injection token of the resolved {@link HealthCheck} list, in report order. */
export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');

/**
 * Turns the registration list into providers: each indicator class, plus {@link HEALTH_CHECKS} built from them.
 * Adding a dependency (a vault, a scheduler) is one indicator class and one line in the list; neither the
 * controller nor the aggregator changes.
 */
export function provideHealthChecks(registrations: readonly HealthCheckRegistration[]): Provider[] {
  const keys = new Set<string>();
  for (const { key } of registrations) {
    if (keys.has(key)) throw new Error(`health check "${key}" is registered twice`);
    keys.add(key);
  }
  return [
    ...registrations.map((registration) => registration.indicator),
    {
      provide: HEALTH_CHECKS,
      inject: registrations.map((registration) => registration.indicator),
      useFactory: (...indicators: HealthIndicatorPort[]): HealthCheck[] =>
        registrations.map((registration, i) => ({ ...registration, indicator: indicators[i] })),
    },
  ];
}
