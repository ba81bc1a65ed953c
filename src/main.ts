import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError, parseConfig } from './config/app-config';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line that names the variable, and no stack trace: this is the operator's mistake, not a crash.
    process.stderr.write(`secuscan-health: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(`listening on http://${config.host}:${config.port}/api/v1/health (version ${config.version})`);
}

void main();
