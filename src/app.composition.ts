import { ACCESS_SETTINGS } from './access/access.settings';
import { CACHE_CHECK } from './cache/cache.check';
import { AppConfig, ConfigRule, parseConfig, Terminal } from './config/app-config';
import type { CheckRegistration } from './health';
import { DATABASE_CHECK } from './database/database.check';
import { DOCS_SETTINGS } from './docs/docs.settings';
import { HEALTH_SETTINGS } from './health/health.settings';
import { HISTORY_STORE_SETTINGS } from './history-store/history-store.settings';
import { HTTP_SETTINGS } from './http/http.settings';
import { LOGGING_SETTINGS } from './logging/logging.settings';
import { NOTIFY_SETTINGS } from './notify/notify.settings';
import { PLUGINS_CHECK } from './plugins/plugins.check';
import { REPLICAS_CHECK } from './replicas/replicas.check';
import { eventStreamsFit } from './status/event-stream-seats';
import { STATUS_SETTINGS } from './status/status.settings';

/*
 * What the application is made of, listed once. Nest-free on purpose: the start validates every setting of every
 * part before Nest and the drivers load, and refuses a bad environment in milliseconds.
 */

/**
 * The checks of the report, in report order. A new check is a folder of its own — its settings (`*.settings.ts`),
 * its indicator and module, its registration (`*.check.ts`) — plus one line here. A check whose registration says
 * it is not `enabled` under the environment (the replicas check without DATABASE_REPLICA_URLS) is left out.
 */
export const APP_CHECKS = [DATABASE_CHECK, CACHE_CHECK, PLUGINS_CHECK, REPLICAS_CHECK] as const;

/** The settings of the application around the checks, in the order the configuration reference lists them. */
export const APP_SETTINGS = [
  HTTP_SETTINGS,
  HEALTH_SETTINGS,
  ACCESS_SETTINGS,
  STATUS_SETTINGS,
  NOTIFY_SETTINGS,
  HISTORY_STORE_SETTINGS,
  DOCS_SETTINGS,
  LOGGING_SETTINGS,
] as const;

/** Rules between the settings of different parts, checked once each part's own settings parsed. */
export const APP_RULES: readonly ConfigRule[] = [
  (config) => eventStreamsFit(config.get(STATUS_SETTINGS), config.get(HTTP_SETTINGS)),
];

/** Parses `env` for the application with its shipped checks, or with `checks` instead. */
export function parseAppConfig(
  env: Readonly<Record<string, string | undefined>>,
  { stdoutIsTty = false, checks = APP_CHECKS }: Partial<Terminal> & { checks?: readonly CheckRegistration[] } = {},
): AppConfig<CheckRegistration> {
  return parseConfig(env, { settings: APP_SETTINGS, checks, rules: APP_RULES, stdoutIsTty });
}
