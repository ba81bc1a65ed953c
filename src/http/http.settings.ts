import { ConfigError, defineSettings, integer, SettingsOf, text } from '../config/settings';
import { allowedHostsSetting } from './allowed-hosts';
import { connectionBudget } from './connection-budget';

/**
 * The listeners: the main one, and the optional management one with its own connection budget; `budget` is what each
 * may hold open, from the open-file limit.
 */
export const HTTP_SETTINGS = defineSettings(
  'http',
  {
    // Port 0 would listen on a random port that nothing (healthcheck, probes, load balancer) knows.
    port: integer('PORT', { default: 3000, min: 1, max: 65535, description: 'Port of the main listener.' }),
    host: text('HOST', { default: '0.0.0.0', description: 'Address the main listener binds.' }),
    managementPort: integer('MANAGEMENT_PORT', {
      default: undefined,
      min: 1,
      max: 65535,
      description:
        'Port of a second listener for the health, probe, metrics and diagnostics routes, with its own connection ' +
        'budget; details are then served there only.',
    }),
    managementHost: text('MANAGEMENT_HOST', {
      default: '127.0.0.1',
      description: 'Address the management listener binds.',
    }),
    allowedHosts: allowedHostsSetting(
      'HEALTH_ALLOWED_HOSTS',
      'Host names (`health.example.com`) and `*.suffix` patterns also answered, comma-separated; any other `Host` ' +
        'gets 421 (see [Exposing it safely](operations.md#exposing-it-safely)).',
    ),
  },
  (values) => {
    if (values.managementPort === values.port) {
      throw new ConfigError(`MANAGEMENT_PORT must differ from PORT (both are ${values.port})`);
    }
    // Derived once, from the process's file limit, for the listeners and for the settings that must fit in them.
    return { ...values, budget: connectionBudget() };
  },
);

/** The parsed {@link HTTP_SETTINGS}. */
export type HttpSettings = SettingsOf<typeof HTTP_SETTINGS>;
