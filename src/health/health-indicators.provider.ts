import { Provider } from '@nestjs/common';
import type { HealthCheck } from './health-check';
import type { HealthIndicator } from './health-indicator';

/** Injection token of the resolved indicators, in report order. */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

/**
 * {@link HEALTH_INDICATORS} built from the checks' indicators, and the indicators that no feature module provides.
 * A second check under a key already taken is a programming error and stops the start.
 */
export function provideHealthIndicators(checks: readonly HealthCheck[]): Provider[] {
  const classes = checks.map((check) => check.indicator);
  return [
    ...checks.flatMap((check) => (check.module ? [] : [check.indicator])),
    {
      provide: HEALTH_INDICATORS,
      inject: classes,
      useFactory: (...indicators: HealthIndicator[]): readonly HealthIndicator[] => {
        const keys = new Set<string>();
        for (const { definition } of indicators) {
          if (keys.has(definition.key)) throw new Error(`health check "${definition.key}" is registered twice`);
          keys.add(definition.key);
        }
        return indicators;
      },
    },
  ];
}
