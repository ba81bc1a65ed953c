import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWholeNumber } from '../common/whole-number';
import type { LogFormat } from '../logging/app-logger';
import { ConfigError, redisDatabaseOf, redisDatabasePath, validateConnectionUrl } from './connection-url';

export { ConfigError } from './connection-url';

/** Who may see details: the checks' details, diagnostics, history, events, the status page and metrics. */
export type DetailsPolicy = 'always' | 'when-authorized' | 'never';
const DETAILS_POLICIES: readonly DetailsPolicy[] = ['always', 'when-authorized', 'never'];

/** A token shorter than this is a password someone could guess; refuse it at start. */
const MIN_TOKEN_LENGTH = 16;
const MAX_VERSION_LENGTH = 64;

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
  /** How log lines are written: `LOG_FORMAT`, else json in production or when stdout is not a terminal. */
  readonly logFormat!: LogFormat;
  /** Colours in log lines: pretty format on a terminal, and `NO_COLOR` unset. */
  readonly logColors!: boolean;
  /** How many status transitions the history keeps in memory. */
  readonly historySize!: number;
  /** How many clients may hold the event stream open at once. */
  readonly eventsMax!: number;
  /** The Redis database index the client selects (from `REDIS_URL`'s path). */
  readonly redisDatabase!: number;
  readonly healthDetails!: DetailsPolicy;
  /** The bearer token that unlocks details under `when-authorized`; `undefined` otherwise. */
  readonly healthToken?: string;
  /** Port of the management listener, or `undefined` when the main listener serves everything. */
  readonly managementPort?: number;
  readonly managementHost!: string;
  /** Whether Swagger UI and the OpenAPI document are served. */
  readonly docsEnabled!: boolean;

  constructor(values: AppConfig) {
    Object.assign(this, values);
    Object.freeze(this);
  }
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
  HEALTH_HISTORY_SIZE: '500',
  HEALTH_EVENTS_MAX: '100',
  HEALTH_DETAILS: 'always',
  HEALTH_TOKEN: '',
  MANAGEMENT_PORT: '',
  MANAGEMENT_HOST: '127.0.0.1',
  DOCS_ENABLED: 'true',
  APP_VERSION: '',
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

function oneOf<T extends string>(env: Env, name: keyof typeof DEFAULTS, values: readonly T[]): T {
  const raw = read(env, name);
  const value = values.find((v) => v === raw);
  if (value === undefined)
    throw new ConfigError(`${name} must be one of ${values.join(', ')} (got "${printable(raw)}")`);
  return value;
}

function flag(env: Env, name: keyof typeof DEFAULTS): boolean {
  return oneOf(env, name, ['true', 'false']) === 'true';
}

/** `raw` shortened and with unprintable characters replaced, safe to echo in a one-line message. */
function printable(raw: string): string {
  return raw.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}

const DATABASE_URL_RULES = {
  protocols: ['postgres:', 'postgresql:'],
  // TLS settings are the operator's to choose; everything else (timeouts, application_name, options, host) would
  // override how the service drives its pool, so it is refused.
  allowedQuery: ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'],
} as const;

const REDIS_URL_RULES = {
  protocols: ['redis:', 'rediss:'],
  allowedQuery: [],
  path: redisDatabasePath,
} as const;

/**
 * `APP_VERSION` ends up in every report and log line: printable ASCII only (a newline would forge a log line) and
 * short enough to read.
 */
function version(env: Env): string {
  const raw = env.APP_VERSION?.trim();
  if (!raw) return packageVersion();
  if (raw.length > MAX_VERSION_LENGTH || !/^[\x20-\x7e]+$/.test(raw)) {
    throw new ConfigError(
      `APP_VERSION must be at most ${MAX_VERSION_LENGTH} printable characters (letters, digits, ".", "-", "+", ...)`,
    );
  }
  return raw;
}

const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** Where the process writes its logs, which the environment alone does not say. */
export interface Terminal {
  /** Whether stdout is a terminal (not a pipe, a file or `docker logs`). */
  readonly stdoutIsTty: boolean;
}

function logFormat(env: Env, { stdoutIsTty }: Terminal): LogFormat {
  const raw = env.LOG_FORMAT?.trim();
  if (!raw) return env.NODE_ENV?.trim() === 'production' || !stdoutIsTty ? 'json' : 'pretty';
  const format = LOG_FORMATS.find((name) => name === raw.toLowerCase());
  if (!format) throw new ConfigError(`LOG_FORMAT must be json or pretty (got "${raw}")`);
  return format;
}

function healthToken(env: Env, details: DetailsPolicy): string | undefined {
  const token = read(env, 'HEALTH_TOKEN');
  if (details !== 'when-authorized') return undefined;
  // The token is a secret: say what is wrong with it, never what it is.
  if (!token) throw new ConfigError('HEALTH_TOKEN is required when HEALTH_DETAILS=when-authorized');
  if (token.length < MIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigError(
      `HEALTH_TOKEN must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces (e.g. openssl rand -hex 32)`,
    );
  }
  return token;
}

function managementPort(env: Env, port: number): number | undefined {
  if (!read(env, 'MANAGEMENT_PORT')) return undefined;
  const value = integer(env, 'MANAGEMENT_PORT', 1, 65535);
  if (value === port) throw new ConfigError(`MANAGEMENT_PORT must differ from PORT (both are ${port})`);
  return value;
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
export function parseConfig(env: Env, terminal: Terminal = { stdoutIsTty: false }): AppConfig {
  const format = logFormat(env, terminal);
  // Port 0 would listen on a random port that nothing (healthcheck, probes, load balancer) knows.
  const port = integer(env, 'PORT', 1, 65535);
  const redisUrl = validateConnectionUrl('REDIS_URL', read(env, 'REDIS_URL'), REDIS_URL_RULES);
  const healthDetails = oneOf(env, 'HEALTH_DETAILS', DETAILS_POLICIES);
  return new AppConfig({
    port,
    host: read(env, 'HOST'),
    databaseUrl: validateConnectionUrl('DATABASE_URL', read(env, 'DATABASE_URL'), DATABASE_URL_RULES),
    redisUrl,
    redisDatabase: redisDatabaseOf(redisUrl),
    pluginsDir: read(env, 'PLUGINS_DIR'),
    version: version(env),
    healthDetails,
    healthToken: healthToken(env, healthDetails),
    managementPort: managementPort(env, port),
    managementHost: read(env, 'MANAGEMENT_HOST'),
    docsEnabled: flag(env, 'DOCS_ENABLED'),
    dbTimeoutMs: integer(env, 'HEALTH_DB_TIMEOUT_MS', 1, 600_000),
    cacheTimeoutMs: integer(env, 'HEALTH_CACHE_TIMEOUT_MS', 1, 600_000),
    cacheTtlMs: integer(env, 'HEALTH_CACHE_TTL_MS', 0, 3_600_000),
    shutdownDelayMs: integer(env, 'HEALTH_SHUTDOWN_DELAY_MS', 0, 600_000),
    dbPoolSize: integer(env, 'HEALTH_DB_POOL_SIZE', 1, 100),
    historySize: integer(env, 'HEALTH_HISTORY_SIZE', 1, 100_000),
    eventsMax: integer(env, 'HEALTH_EVENTS_MAX', 1, 10_000),
    pluginDepsTtlMs: integer(env, 'HEALTH_PLUGIN_DEPS_TTL_MS', 1000, 86_400_000),
    disabledPlugins: new Set(
      (env.DISABLED_PLUGINS ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean),
    ),
    binaryPath: env.PATH ?? '',
    logFormat: format,
    // NO_COLOR set to anything but the empty string turns colours off (no-color.org).
    logColors: format === 'pretty' && terminal.stdoutIsTty && !env.NO_COLOR,
  });
}
