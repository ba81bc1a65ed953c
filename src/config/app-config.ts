import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWholeNumber } from '../common/whole-number';

/**
 * Everything the service reads from its environment, parsed and validated once at boot. Nothing else in the code
 * base reads `process.env`: inject {@link AppConfig} instead, and build one with {@link parseConfig} in tests.
 */
export class AppConfig {
  readonly port!: number;
  readonly host!: string;
  readonly databaseUrl!: string;
  readonly redisUrl!: string;
  readonly pluginsDir!: string;
  readonly version!: string;
  readonly dbTimeoutMs!: number;
  readonly cacheTimeoutMs!: number;
  readonly cacheTtlMs!: number;
  readonly shutdownDelayMs!: number;
  readonly disabledPlugins!: ReadonlySet<string>;
  /** The `PATH` used to decide whether a plugin's binaries are installed. */
  readonly binaryPath!: string;
  /** How often the installed Python and Debian packages are listed again (`HEALTH_PLUGIN_DEPS_TTL_MS`). */
  readonly pluginDepsTtlMs!: number;
  /** Size of the PostgreSQL pool the health probe draws from. */
  readonly dbPoolSize!: number;

  constructor(values: AppConfig) {
    Object.assign(this, values);
    Object.freeze(this);
  }
}

/** A configuration value that cannot be used; its message is one line that names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULTS = {
  PORT: '3000',
  HOST: '0.0.0.0',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PLUGINS_DIR: './plugins',
  HEALTH_DB_TIMEOUT_MS: '2000',
  HEALTH_CACHE_TIMEOUT_MS: '1000',
  HEALTH_CACHE_TTL_MS: '1000',
  HEALTH_SHUTDOWN_DELAY_MS: '5000',
  HEALTH_DB_POOL_SIZE: '4',
  HEALTH_PLUGIN_DEPS_TTL_MS: '60000',
} as const;

/** Reads `name`, treating an empty string as unset so `FOO=` in a compose file means "use the default". */
function read(env: Env, name: keyof typeof DEFAULTS): string {
  const value = env[name]?.trim();
  return value ? value : DEFAULTS[name];
}

function integer(env: Env, name: keyof typeof DEFAULTS, min: number, max: number): number {
  const raw = read(env, name);
  const value = parseWholeNumber(raw, min, max);
  if (value === undefined) throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return value;
}

function url(env: Env, name: keyof typeof DEFAULTS, protocols: readonly string[]): string {
  const raw = read(env, name);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // The value may hold a password: name the variable and the expected shape, never echo it.
    throw new ConfigError(`${name} is not a valid URL (expected ${protocols[0]}//host:port/...)`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      `${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')} (got ${parsed.protocol}//...)`,
    );
  }
  if (!parsed.hostname) {
    throw new ConfigError(`${name} has no host (expected ${protocols[0]}//host:port/...)`);
  }
  return raw;
}

function packageVersion(): string {
  // dist/config and src/config are both two levels below the package root.
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * Parses the environment into an {@link AppConfig}. Throws a {@link ConfigError} whose message names the first bad
 * variable; `main.ts` prints that line and exits before anything starts.
 */
export function parseConfig(env: Env): AppConfig {
  return new AppConfig({
    port: integer(env, 'PORT', 0, 65535),
    host: read(env, 'HOST'),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    pluginsDir: read(env, 'PLUGINS_DIR'),
    version: env.APP_VERSION?.trim() || packageVersion(),
    dbTimeoutMs: integer(env, 'HEALTH_DB_TIMEOUT_MS', 1, 600_000),
    cacheTimeoutMs: integer(env, 'HEALTH_CACHE_TIMEOUT_MS', 1, 600_000),
    cacheTtlMs: integer(env, 'HEALTH_CACHE_TTL_MS', 0, 3_600_000),
    shutdownDelayMs: integer(env, 'HEALTH_SHUTDOWN_DELAY_MS', 0, 600_000),
    dbPoolSize: integer(env, 'HEALTH_DB_POOL_SIZE', 1, 100),
    pluginDepsTtlMs: integer(env, 'HEALTH_PLUGIN_DEPS_TTL_MS', 1000, 86_400_000),
    disabledPlugins: new Set(
      (env.DISABLED_PLUGINS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
    binaryPath: env.PATH ?? '',
  });
}
