import { Provider, Type } from '@nestjs/common';
import type { HealthIndicator } from './health-indicator';

/** Injection token of the resolved indicators, in report order. */
export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

/**
 * Provides each indicator class and {@link HEALTH_INDICATORS} built from them. A second check under a key already
 * taken is a programming error and stops the start.
 */
export function provideHealthIndicators(classes: readonly Type<HealthIndicator>[]): Provider[] {
  return [
    ...classes,
    {
      provide: HEALTH_INDICATORS,
      inject: [...classes],
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
