import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, listenApp } from './app.factory';
import { AppConfig, ConfigError, parseConfig } from './config/app-config';
import { applyEnvFile, EnvFileError } from './config/env-file';
import { AppLogger } from './logging/app-logger';
import { escapeControl } from './logging/escape-control';
import { markStarted, SHUTDOWN_SIGNALS } from './process-signals';

/** Past the drain delay, how long closing may take before the process gives up on being graceful. */
export const CLOSE_GRACE_MS = 10_000;

/** Read from the working directory when present, as `docker compose` reads it. */
const ENV_FILE = '.env';

/** Stops the start with one line on stderr and no stack trace: the operator's mistake, not a crash. */
function refuseToStart(message: string): never {
  process.stderr.write(`secuscan-health: ${escapeControl(message)}\n`);
  process.exit(1);
}

/** Adds the variables of `.env` to the environment (which wins) and answers their names. */
function loadEnvFile(): string[] {
  try {
    return applyEnvFile(ENV_FILE, process.env);
  } catch (error) {
    if (!(error instanceof EnvFileError)) throw error;
    refuseToStart(error.message);
  }
}

function loadConfig(): AppConfig {
  try {
    return parseConfig(process.env, { stdoutIsTty: Boolean(process.stdout.isTTY) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    refuseToStart(`invalid configuration: ${error.message}`);
  }
}

/** Starts the service: config, logger, app, shutdown hooks, listener. Loaded by `main.ts` once the signal handlers are in. */
export async function bootstrap(): Promise<void> {
  const fromEnvFile = loadEnvFile();
  const config = loadConfig();
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
