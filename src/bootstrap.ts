import { parseAppConfig } from './app.composition';
import { AppConfig, ConfigErrors } from './config/app-config';
import type { CheckRegistration } from './health';
import { applyEnvFile, ENV_FILE, EnvFileError } from './config/env-file';
import { escapeControl } from './logging/escape-control';

/** Stops the start with one line on stderr per problem and no stack trace: the operator's mistake, not a crash. */
function refuseToStart(...problems: string[]): never {
  process.stderr.write(problems.map((problem) => `secuscan-health: ${escapeControl(problem)}\n`).join(''));
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

function loadConfig(): AppConfig<CheckRegistration> {
  try {
    return parseAppConfig(process.env, { stdoutIsTty: Boolean(process.stdout.isTTY) });
  } catch (error) {
    if (!(error instanceof ConfigErrors)) throw error;
    refuseToStart(...error.problems.map((problem) => `invalid configuration: ${problem}`));
  }
}

/**
 * Starts the service: the environment and its `.env` file are checked first, with nothing but this module and the
 * config parser loaded, so a bad value is refused in milliseconds; Nest, the drivers and the app load only once the
 * configuration is valid (a dynamic import, for that reason). Loaded by `main.ts` once the signal handlers are in.
 */
export async function bootstrap(): Promise<void> {
  const fromEnvFile = loadEnvFile();
  const config = loadConfig();
  const { serve } = await import('./serve');
  await serve(config, fromEnvFile);
}
