import packageJson from '../../package.json';
import { ConfigError, parseConfig } from './app-config';

describe('parseConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
      redisUrl: 'redis://127.0.0.1:6379',
      pluginsDir: './plugins',
      dbTimeoutMs: 2000,
      cacheTimeoutMs: 1000,
      cacheTtlMs: 1000,
      shutdownDelayMs: 5000,
      pluginDepsTtlMs: 60000,
    });
    expect(config.version).toBe(packageJson.version);
    expect([...config.disabledPlugins]).toEqual([]);
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
      HEALTH_PLUGIN_DEPS_TTL_MS: '5000',
      DISABLED_PLUGINS: ' nmap, ,nuclei ',
      PATH: '/bin:/usr/bin',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://u:p@db:5433/app',
      redisUrl: 'rediss://cache:6380/1',
      pluginsDir: '/opt/plugins',
      version: '2.3.4',
      dbTimeoutMs: 500,
      cacheTimeoutMs: 250,
      cacheTtlMs: 0,
      shutdownDelayMs: 0,
      dbPoolSize: 2,
      pluginDepsTtlMs: 5000,
      binaryPath: '/bin:/usr/bin',
    });
    expect([...config.disabledPlugins]).toEqual(['nmap', 'nuclei']);
  });

  it('treats an empty value as unset', () => {
    expect(parseConfig({ PORT: '', HEALTH_DB_TIMEOUT_MS: '  ' })).toMatchObject({ port: 3000, dbTimeoutMs: 2000 });
  });

  it.each([
    ['HEALTH_DB_TIMEOUT_MS', 'abc'],
    ['HEALTH_DB_TIMEOUT_MS', '0'],
    ['HEALTH_CACHE_TIMEOUT_MS', '1.5'],
    ['HEALTH_CACHE_TTL_MS', '-1'],
    ['HEALTH_SHUTDOWN_DELAY_MS', '5s'],
    ['PORT', '70000'],
    ['HEALTH_DB_POOL_SIZE', '0'],
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

  it('freezes the result', () => {
    const config = parseConfig({});
    expect(Object.isFrozen(config)).toBe(true);
  });
});
