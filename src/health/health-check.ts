import type { DynamicModule, Type } from '@nestjs/common';
import type { ConfiguredPart } from '../config/app-config';
import type { SettingsGroup } from '../config/settings';
import type { HealthIndicator } from './health-indicator';

/** A check as the health module composes it: its indicator, and the feature module that provides it. */
export interface HealthCheck {
  readonly indicator: Type<HealthIndicator>;
  /**
   * The feature module that provides and exports the indicator. Without one the health module provides the
   * indicator itself, for a check that needs nothing but Terminus's `HealthIndicatorService`.
   */
  readonly module?: Type | DynamicModule;
}

/**
 * A check as the application lists it, free of Nest: its own settings, validated at start with every other
 * variable before Nest loads, and a loader of its Nest parts, called once they are valid.
 */
export interface CheckRegistration extends ConfiguredPart {
  readonly settings?: SettingsGroup;
  /** Whether the app runs the check under the parsed settings (default: always); see {@link ConfiguredPart}. */
  readonly enabled?: ConfiguredPart['enabled'];
  load(): HealthCheck | Promise<HealthCheck>;
}
