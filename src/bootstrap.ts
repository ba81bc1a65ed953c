import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, listenApp } from './app.factory';
import { AppConfig, ConfigError, parseConfig } from './config/app-config';
import { markStarted, SHUTDOWN_SIGNALS } from './process-signals';

/** Past the drain delay, how long closing may take before the process gives up on being graceful. */
const CLOSE_GRACE_MS = 10_000;

function loadConfig(): AppConfig {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line that names the variable, and no stack trace: this is the operator's mistake, not a crash.
    process.stderr.write(`secuscan-health: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}

/** Starts the service: config, app, shutdown hooks, listener. Loaded by `main.ts` once the signal handlers are in. */
export async function bootstrap(): Promise<void> {
  try {
    await start();
  } catch (error: unknown) {
    new Logger('Bootstrap').error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

async function start(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('Bootstrap');
  const app = await createApp(config);
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  markStarted(config.shutdownDelayMs + CLOSE_GRACE_MS);
  await listenApp(app, config.port, config.host);
  logger.log(`listening on http://${config.host}:${config.port}/api/v1/health (version ${config.version})`);
}
