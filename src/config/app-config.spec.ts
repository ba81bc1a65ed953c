import packageJson from '../../package.json';
import { parseAppConfig } from '../app.composition';
import { ConfigError, ConfigErrors, parseConfig as parseParts, type SettingsReader } from './app-config';
import { defineSettings, integer } from './settings';

type Terminal = { stdoutIsTty: boolean };

/** Every parsed group of `env`, by feature, e.g. `{ http: { port: 3000, ... }, database: { ... } }`. */
function parseConfig(
  env: Readonly<Record<string, string | undefined>>,
  terminal?: Terminal,
): Record<string, Record<string, unknown>> {
  const config = parseAppConfig(env, terminal);
  return Object.fromEntries(
    [...config.entries()].map(([group, values]) => [group.feature, values as Record<string, unknown>]),
  );
}

describe('parseAppConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      http: { port: 3000, host: '0.0.0.0' },
      database: { url: 'postgres://postgres@127.0.0.1:5432/postgres', timeoutMs: 2000, poolSize: 4 },
      cache: { url: 'redis://127.0.0.1:6379', timeoutMs: 1000 },
      plugins: { dir: './plugins', depsTtlMs: 60000 },
      health: { reportTtlMs: 1000, shutdownDelayMs: 5000 },
      status: { historySize: 500, eventsMax: 100 },
    });
    expect(config.health.version).toBe(packageJson.version);
    expect([...(config.plugins.disabled as Set<string>)]).toEqual([]);
  });

  it('reads every variable', () => {
    const config = parseConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://u:p@db:5433/app',
      REDIS_URL: 'rediss://cache:6380/1',
      PLUGINS_DIR: '/opt/plugins',
      APP_VERSION: '2.3.4',
      HEALTH_DB_TIMEOUT_MS: '500',
      HEALTH_CACHE_TIMEOUT_MS: '250',
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_SHUTDOWN_DELAY_MS: '0',
      HEALTH_DB_POOL_SIZE: '2',
      HEALTH_HISTORY_SIZE: '20',
      HEALTH_EVENTS_MAX: '3',
      HEALTH_PLUGIN_DEPS_TTL_MS: '5000',
      DISABLED_PLUGINS: ' nmap, ,nuclei ',
      PATH: '/bin:/usr/bin',
    });
    expect(config).toMatchObject({
      http: { port: 8080, host: '127.0.0.1' },
      database: { url: 'postgresql://u:p@db:5433/app', timeoutMs: 500, poolSize: 2 },
      cache: { url: 'rediss://cache:6380/1', timeoutMs: 250, database: 1, tls: true },
      plugins: { dir: '/opt/plugins', depsTtlMs: 5000, binaryPath: '/bin:/usr/bin' },
      health: { version: '2.3.4', reportTtlMs: 0, shutdownDelayMs: 0 },
      status: { historySize: 20, eventsMax: 3 },
    });
    expect([...(config.plugins.disabled as Set<string>)]).toEqual(['nmap', 'nuclei']);
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig({ PORT: '', HEALTH_DB_TIMEOUT_MS: '  ' })).toMatchObject({
      http: { port: 3000 },
      database: { timeoutMs: 2000 },
    });
  });

  it.each([
    ['HEALTH_DB_TIMEOUT_MS', 'abc'],
    ['HEALTH_DB_TIMEOUT_MS', '0'],
    ['HEALTH_CACHE_TIMEOUT_MS', '1.5'],
    ['HEALTH_CACHE_TTL_MS', '-1'],
    ['HEALTH_SHUTDOWN_DELAY_MS', '5s'],
    ['PORT', '70000'],
    ['PORT', '0'],
    ['MANAGEMENT_PORT', '0'],
    ['HEALTH_DB_POOL_SIZE', '0'],
    ['HEALTH_HISTORY_SIZE', '0'],
    // 74,651 kept once made the history 13.7 MB and every resumed stream die before its status line.
    ['HEALTH_HISTORY_SIZE', '10001'],
    ['HEALTH_EVENTS_MAX', 'many'],
    ['HEALTH_PLUGIN_DEPS_TTL_MS', '999'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    const parse = () => parseConfig({ [name]: value });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(new RegExp(`^${name} must be a whole number .*\\(got "${value.replace('.', '\\.')}"\\)$`));
  });

  it.each([
    ['DATABASE_URL', 'not a url', /^DATABASE_URL is not a valid URL/],
    ['DATABASE_URL', 'mysql://root@db/app', /^DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    ['REDIS_URL', 'http://cache:6379', /^REDIS_URL must start with redis:\/\/ or rediss:\/\//],
    ['REDIS_URL', '127.0.0.1:6379', /^REDIS_URL/],
  ])('rejects a malformed %s', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(message);
  });

  it('never echoes a malformed URL, which may hold a password', () => {
    expect(() => parseConfig({ DATABASE_URL: 'postgres://user:s3cret@' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
    );
  });

  describe('LOG_FORMAT', () => {
    const tty = { stdoutIsTty: true };
    const pipe = { stdoutIsTty: false };

    it.each<[Record<string, string>, { stdoutIsTty: boolean }, string, boolean]>([
      [{}, tty, 'pretty', true],
      [{}, pipe, 'json', false],
      [{ NODE_ENV: 'production' }, tty, 'json', false],
      [{ NODE_ENV: 'development' }, tty, 'pretty', true],
      [{ LOG_FORMAT: 'pretty' }, pipe, 'pretty', false],
      [{ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }, tty, 'pretty', true],
      [{ LOG_FORMAT: 'JSON' }, tty, 'json', false],
      [{ LOG_FORMAT: ' ' }, pipe, 'json', false],
      [{ NO_COLOR: '1' }, tty, 'pretty', false],
      [{ NO_COLOR: '' }, tty, 'pretty', true],
    ])('%j with %j → %s, colours %s', (env, terminal, format, colors) => {
      expect(parseConfig(env, terminal).logging).toEqual({ format, colors });
    });

    it('defaults to json when the caller says nothing about a terminal', () => {
      expect(parseConfig({}).logging.format).toBe('json');
    });

    it('rejects another value with one line naming the variable', () => {
      expect(() => parseConfig({ LOG_FORMAT: 'xml' })).toThrow(
        new ConfigError('LOG_FORMAT must be json or pretty (got "xml")'),
      );
    });
  });

  it('reads who sees what, the management listener and the docs switch', () => {
    expect(parseConfig({})).toMatchObject({
      access: { details: 'always', token: undefined },
      http: { managementPort: undefined, managementHost: '127.0.0.1' },
      docs: { enabled: true },
      cache: { database: 0, tls: false },
    });
    const config = parseConfig({
      HEALTH_DETAILS: 'when-authorized',
      HEALTH_TOKEN: '0123456789abcdef0123',
      MANAGEMENT_PORT: '9100',
      MANAGEMENT_HOST: '0.0.0.0',
      DOCS_ENABLED: 'false',
      REDIS_URL: 'redis://cache:6379/15',
    });
    expect(config).toMatchObject({
      access: { details: 'when-authorized', token: '0123456789abcdef0123' },
      http: { managementPort: 9100, managementHost: '0.0.0.0' },
      docs: { enabled: false },
      cache: { database: 15 },
    });
  });

  it('keeps HEALTH_TOKEN under every policy (maintenance windows need it) and holds it to the same rule', () => {
    for (const HEALTH_DETAILS of ['always', 'never']) {
      expect(parseConfig({ HEALTH_DETAILS, HEALTH_TOKEN: '0123456789abcdef0123' }).access.token).toBe(
        '0123456789abcdef0123',
      );
      expect(() => parseConfig({ HEALTH_DETAILS, HEALTH_TOKEN: 'short' })).toThrow(/^HEALTH_TOKEN must be at least 16/);
    }
  });

  it.each([
    [
      { HEALTH_DETAILS: 'sometimes' },
      /^HEALTH_DETAILS must be one of always, when-authorized, never \(got "sometimes"\)$/,
    ],
    [{ HEALTH_DETAILS: 'when-authorized' }, /^HEALTH_TOKEN is required when HEALTH_DETAILS=when-authorized$/],
    [{ HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: 'hunter2' }, /^HEALTH_TOKEN must be at least 16 printable/],
    [{ DOCS_ENABLED: 'yes' }, /^DOCS_ENABLED must be one of true, false/],
    [{ PORT: '9100', MANAGEMENT_PORT: '9100' }, /^MANAGEMENT_PORT must differ from PORT/],
    // The management listener holds 256 connections at most, whatever the file limit.
    [
      { MANAGEMENT_PORT: '9100', HEALTH_EVENTS_MAX: '1000' },
      /^HEALTH_EVENTS_MAX must be at most \d+ here \(got 1000\)/,
    ],
    [{ APP_VERSION: '1.0.0\nforged log line' }, /^APP_VERSION must be at most 64 printable characters/],
    [{ APP_VERSION: 'v'.repeat(65) }, /^APP_VERSION must be at most 64 printable characters/],
    [{ REDIS_URL: 'redis://cache:6379/abc' }, /^REDIS_URL database must be a number from 0 to 15/],
    [{ REDIS_URL: 'redis://cache:6379/16' }, /^REDIS_URL database must be a number from 0 to 15/],
    [{ REDIS_URL: 'redis://cache:6379/1/2' }, /^REDIS_URL database must be a number from 0 to 15/],
    [
      { REDIS_URL: 'redis://cache:6379?connectTimeout=abc' },
      /^REDIS_URL has unsupported query parameters: connectTimeout \(none allowed\)$/,
    ],
    [{ REDIS_URL: 'redis://:Pct%zz@cache:6379' }, /^REDIS_URL has a malformed password: a "%" must start a %XX escape/],
    [{ DATABASE_URL: 'postgres://u:Pct%zz@db:5432/app' }, /^DATABASE_URL has a malformed password/],
    [{ DATABASE_URL: 'postgres://u%:pw@db:5432/app' }, /^DATABASE_URL has a malformed user name/],
    [
      { DATABASE_URL: 'postgres://db/app?connect_timeout=1&options=x' },
      /^DATABASE_URL has unsupported query parameters: connect_timeout, options \(only sslmode/,
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const parse = () => parseConfig(env);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });

  it('accepts the TLS query parameters of DATABASE_URL and well-formed escapes', () => {
    const url = 'postgres://u:p%40ss%25@db:5432/app?sslmode=require&sslrootcert=/ca.pem';
    expect(parseConfig({ DATABASE_URL: url }).database.url).toBe(url);
  });

  it('never echoes a token or a password in its messages', () => {
    const secrets = [
      { HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: 'sh0rt-s3cret' },
      { DATABASE_URL: 'postgres://u:s3cret%zz@db/app' },
      { REDIS_URL: 'redis://:s3cret@cache:6379/99' },
      { REDIS_URL: 'redis://cache:6379/0?password=s3cret' },
    ];
    for (const env of secrets) {
      expect(() => parseConfig(env)).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('s3cret') }),
      );
    }
  });

  it('freezes the result and every group of values', () => {
    const config = parseAppConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    for (const [, values] of config.entries()) expect(Object.isFrozen(values)).toBe(true);
  });

  it('names every bad variable at once, one line each, in the order the reference lists them', () => {
    const parse = () =>
      parseAppConfig({ PORT: 'http', HEALTH_DB_TIMEOUT_MS: 'soon', REDIS_URL: 'http://cache', LOG_FORMAT: 'xml' });
    expect(parse).toThrow(ConfigErrors);
    try {
      parse();
    } catch (error) {
      expect((error as ConfigErrors).problems).toEqual([
        'PORT must be a whole number from 1 to 65535 (got "http")',
        'LOG_FORMAT must be json or pretty (got "xml")',
        'HEALTH_DB_TIMEOUT_MS must be a whole number from 1 to 600000 (got "soon")',
        'REDIS_URL must start with redis:// or rediss:// or redis+sentinel:// or redis+cluster:// (got http://...)',
      ]);
    }
  });

  it('checks the rules between parts once every part parsed, one line each', () => {
    expect(() => parseAppConfig({ PORT: 'http', MANAGEMENT_PORT: '9100', HEALTH_EVENTS_MAX: '1000' })).toThrow(
      new ConfigErrors(['PORT must be a whole number from 1 to 65535 (got "http")']),
    );
    expect(parseConfig({ HEALTH_EVENTS_MAX: '500' }).status.eventsMax).toBe(500);
  });

  it('keeps a part only when it is enabled under the parsed settings, validating its settings either way', () => {
    const SCHEDULER = defineSettings('scheduler', {
      every: integer('SCHEDULER_EVERY_MS', { default: undefined, min: 1, max: 1000, description: '' }),
    });
    const scheduler = {
      settings: SCHEDULER,
      enabled: (settings: SettingsReader) => settings.get(SCHEDULER).every !== undefined,
    };
    const always = { settings: undefined };
    const parts = { settings: [], checks: [always, scheduler] };
    const config = parseParts({ SCHEDULER_EVERY_MS: '10' }, parts);
    expect(config.checks).toEqual([always, scheduler]);
    const off = parseParts({}, parts);
    expect(off.checks).toEqual([always]);
    expect(off.get(SCHEDULER)).toEqual({ every: undefined });
    expect(() => parseParts({ SCHEDULER_EVERY_MS: 'often' }, parts)).toThrow(
      'SCHEDULER_EVERY_MS must be a whole number from 1 to 1000 (got "often")',
    );
  });

  it('serves a group only to whoever declared it to the parser', () => {
    const config = parseAppConfig({}, { checks: [] });
    expect(config.checks).toEqual([]);
    expect([...config.entries()].map(([group]) => group.feature)).not.toContain('database');
  });
});
