import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, listenApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ENV_FILE } from './config/env-file';
import { HEALTH_SETTINGS, type CheckRegistration } from './health';
import { HTTP_SETTINGS } from './http/http.settings';
import { AppLogger } from './logging/app-logger';
import { LOGGING_SETTINGS } from './logging/logging.settings';
import { markStarted, SHUTDOWN_SIGNALS } from './process-signals';

/** Past the drain delay, how long closing may take before the process gives up on being graceful. */
export const CLOSE_GRACE_MS = 10_000;

/**
 * Runs the service with a valid `config`: logger, app, shutdown hooks, listener. `fromEnvFile` names the variables
 * read from `.env`, logged once the logger exists. Exits 1 with one log line when the start fails.
 */
export async function serve(config: AppConfig<CheckRegistration>, fromEnvFile: readonly string[]): Promise<void> {
  const logging = config.get(LOGGING_SETTINGS);
  const logger = new AppLogger(logging.format, logging.colors);
  // Code that logs before the app exists (or without it) writes in the same format.
  Logger.overrideLogger(logger);
  if (fromEnvFile.length) {
    // Names only: values may be secrets.
    logger.log({ message: `read ${fromEnvFile.join(', ')} from ${ENV_FILE}`, variables: fromEnvFile }, 'Bootstrap');
  }
  try {
    await start(config, logger);
  } catch (error: unknown) {
    logger.error(error instanceof Error ? error.message : String(error), 'Bootstrap');
    process.exit(1);
  }
}

async function start(config: AppConfig<CheckRegistration>, logger: AppLogger): Promise<void> {
  const app = await createApp(config, { logger });
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  // Module init (plugin manifests, routes, first connects) is still start-up: a signal until here exits at once.
  await app.init();
  const { host, port } = config.get(HTTP_SETTINGS);
  const { shutdownDelayMs, version } = config.get(HEALTH_SETTINGS);
  markStarted(shutdownDelayMs + CLOSE_GRACE_MS);
  await listenApp(app, port, host);
  logger.log(
    {
      message: `listening on http://${host}:${port}/api/v1/health (version ${version})`,
      host,
      port,
      version,
    },
    'Bootstrap',
  );
}
