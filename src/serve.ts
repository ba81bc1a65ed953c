import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, listenApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ENV_FILE } from './config/env-file';
import { AppLogger } from './logging/app-logger';
import { markStarted, SHUTDOWN_SIGNALS } from './process-signals';

/** Past the drain delay, how long closing may take before the process gives up on being graceful. */
export const CLOSE_GRACE_MS = 10_000;

/**
 * Runs the service with a valid `config`: logger, app, shutdown hooks, listener. `fromEnvFile` names the variables
 * read from `.env`, logged once the logger exists. Exits 1 with one log line when the start fails.
 */
export async function serve(config: AppConfig, fromEnvFile: readonly string[]): Promise<void> {
  const logger = new AppLogger(config.logFormat, config.logColors);
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

async function start(config: AppConfig, logger: AppLogger): Promise<void> {
  const app = await createApp(config, { logger });
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  // Module init (plugin manifests, routes, first connects) is still start-up: a signal until here exits at once.
  await app.init();
  markStarted(config.shutdownDelayMs + CLOSE_GRACE_MS);
  await listenApp(app, config.port, config.host);
  logger.log(
    {
      message: `listening on http://${config.host}:${config.port}/api/v1/health (version ${config.version})`,
      host: config.host,
      port: config.port,
      version: config.version,
    },
    'Bootstrap',
  );
}
