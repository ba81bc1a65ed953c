#!/usr/bin/env node
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig, ConfigError, parseConfig } from './config/app-config';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;
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

/**
 * Nest's shutdown hooks run the graceful path on the first signal (readiness 503, drain, close the server, the
 * data source and the Redis client) and exit 0. Nest ignores a second signal; an operator who sends one wants out
 * now, so this exits at once. A watchdog bounds the whole shutdown in case a close never returns.
 */
function handleSignals(config: AppConfig, logger: Logger): void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received++;
    if (received === 1) {
      setTimeout(() => {
        logger.error(`shutdown did not finish in ${config.shutdownDelayMs + CLOSE_GRACE_MS} ms: exiting`);
        process.exit(1);
      }, config.shutdownDelayMs + CLOSE_GRACE_MS).unref();
      return;
    }
    logger.warn(`second ${signal}: exiting now without draining`);
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('Bootstrap');
  const app = await createApp(config);
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  handleSignals(config, logger);
  await app.listen(config.port, config.host);
  logger.log(`listening on http://${config.host}:${config.port}/api/v1/health (version ${config.version})`);
}

main().catch((error: unknown) => {
  new Logger('Bootstrap').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
