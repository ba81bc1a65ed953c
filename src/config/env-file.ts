import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The file the service reads from its working directory when present, as `docker compose` reads it. */
export const ENV_FILE = '.env';

/** A `.env` that exists but cannot be read; its message is one line naming the file and the reason. */
export class EnvFileError extends Error {
  override name = 'EnvFileError';
}

/**
 * Adds the variables of the env file at `path` to `env` and answers their names; a missing file adds nothing. The
 * environment wins: a variable already in `env`, even as an empty string, keeps its value, as with Node's own
 * `--env-file` and `process.loadEnvFile`. The file is read here rather than by `process.loadEnvFile` so that an
 * unreadable one is reported with its reason.
 */
export function applyEnvFile(path: string, env: NodeJS.ProcessEnv): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new EnvFileError(`cannot read ${resolve(path)}: ${code ?? String(error)}`);
  }
  const added = Object.entries(parseEnv(text)).filter(([name]) => !(name in env));
  for (const [name, value] of added) env[name] = value;
  return added.map(([name]) => name);
}
