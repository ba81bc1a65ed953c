/**
 * docker-compose.yml and docker-compose.ports.yml, read statically: the services and their start order, the
 * healthchecks and their timings, the published ports, and the api's environment, checked against the app's
 * configuration, the Dockerfile's image and the Kubernetes ConfigMap's management port. The healthcheck commands
 * themselves are run against the real app in healthcheck.system.e2e-spec.ts. Needs `npm run build` first (as `npm test`
 * does): the healthcheck script must exist.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_TIMEOUT_MS, resolveSettings } from '../../src/cli/healthcheck';
import { parseAppConfig } from '../../src/app.composition';
import { CACHE_SETTINGS } from '../../src/cache/cache.settings';
import { DATABASE_SETTINGS } from '../../src/database/database.settings';
import { HTTP_SETTINGS } from '../../src/http/http.settings';
import { KNOWN_VARIABLES } from '../support/app-variables';
import {
  composeEnvironment,
  healthcheckCommand,
  publishedPorts,
  readCompose,
  service,
  services,
} from '../support/compose-file';
import { inStage, lastStage, runtimeWorkdir } from '../support/dockerfile';
import { durationMs } from '../support/durations';
import { MANAGEMENT_PORT } from '../support/kubernetes-manifests';
import { readRepoFile, ROOT } from '../support/repository';

describe('docker-compose.yml', () => {
  it('has postgres, redis and api', () => {
    expect(Object.keys(services).sort()).toEqual(expect.arrayContaining(['api', 'postgres', 'redis']));
  });

  it('api waits for healthy postgres and redis', () => {
    const dependsOn = service('api').depends_on;
    expect(Array.isArray(dependsOn)).toBe(false);
    expect(dependsOn).toMatchObject({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('postgres is checked with pg_isready as user postgres, redis with redis-cli ping', () => {
    const pg = healthcheckCommand(service('postgres').healthcheck).argv.join(' ');
    expect(pg).toMatch(/^pg_isready\b/);
    expect(pg).toMatch(/-U\s+postgres\b/);
    expect(healthcheckCommand(service('redis').healthcheck).argv.join(' ')).toMatch(/^redis-cli\s+ping\b/);
  });

  it('publishes no PostgreSQL or Redis port, so it runs beside servers already on 5432 and 6379', () => {
    expect(publishedPorts(service('postgres'))).toEqual([]);
    expect(publishedPorts(service('redis'))).toEqual([]);
  });

  it('the ports file publishes postgres and redis on loopback at the ports the app and the tests default to', () => {
    const overrides = readCompose('docker-compose.ports.yml');
    expect(Object.keys(overrides).sort()).toEqual(['postgres', 'redis']);
    const defaults = parseAppConfig({ PATH: '' });
    const pgPort = new URL(defaults.get(DATABASE_SETTINGS).url).port;
    const redisPort = new URL(defaults.get(CACHE_SETTINGS).url).port;
    const loopback = (published: string, target: number) => ({ hostIp: '127.0.0.1', published, target });
    expect(publishedPorts(overrides.postgres)).toEqual([loopback(pgPort, 5432)]);
    expect(publishedPorts(overrides.redis)).toEqual([loopback(redisPort, 6379)]);
  });

  it('is valid for compose v1 too: no top-level name, no start_interval (v1 and Engines before 25 reject both)', () => {
    // The top-level keys Debian bookworm's docker-compose 1.29 accepts; `name:` is v2's.
    const topLevel = Object.keys(parse(readRepoFile('docker-compose.yml')) as object);
    expect(topLevel.filter((key) => !/^(services|volumes|networks|configs|secrets|x-.+)$/.test(key))).toEqual([]);
    for (const name of ['postgres', 'redis', 'api']) {
      expect([name, service(name).healthcheck?.start_interval]).toEqual([name, undefined]);
    }
  });

  it('every healthcheck runs every 1 to 2 s, so a container turns healthy within 2 s of being ready', () => {
    for (const name of ['postgres', 'redis', 'api']) {
      const check = service(name).healthcheck ?? {};
      // Without start_interval the engine runs the first check one interval after the start, and then every interval.
      const interval = durationMs(check.interval ?? '30s');
      expect([name, interval >= 1000 && interval <= 2000]).toEqual([name, true]);
      expect(durationMs(check.start_period ?? '0s')).toBeGreaterThanOrEqual(10_000);
    }
  });

  it('postgres accepts the passwordless default DATABASE_URL (trust, for local development)', () => {
    const env = composeEnvironment(service('postgres'));
    expect(new URL(parseAppConfig({ PATH: '' }).get(DATABASE_SETTINGS).url).password).toBe('');
    expect(env.POSTGRES_HOST_AUTH_METHOD).toBe('trust');
  });

  it('api is built from the Dockerfile in this folder', () => {
    const build = service('api').build;
    const context = typeof build === 'string' ? build : build?.context;
    const file = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
    expect(context).toBe('.');
    expect(existsSync(join(ROOT, file))).toBe(true);
  });

  it('api only gets variables the app or its healthcheck knows, and they would boot the app', () => {
    const env = composeEnvironment(service('api'));
    expect(Object.keys(env).length).toBeGreaterThan(0);
    for (const name of Object.keys(env)) expect([name, KNOWN_VARIABLES.has(name)]).toEqual([name, true]);
    expect(() => parseAppConfig(env)).not.toThrow();
    expect(env.DATABASE_URL).toBe('postgres://postgres@postgres:5432/postgres');
    expect(env.REDIS_URL).toBe('redis://redis:6379');
  });

  it('api publishes its main and management ports on loopback only, and the image exposes both', () => {
    const { port, managementPort } = parseAppConfig(composeEnvironment(service('api'))).get(HTTP_SETTINGS);
    expect(managementPort).toBeDefined();
    // Loopback: the management port shows what the main port hides.
    expect(publishedPorts(service('api')).map((p) => [p.hostIp, p.target])).toEqual([
      ['127.0.0.1', port],
      ['127.0.0.1', managementPort],
    ]);
    const exposed = inStage(lastStage, 'EXPOSE').flatMap((i) => i.args.split(/\s+/).map(Number));
    expect(exposed).toEqual([port, managementPort]);
    // The same management port as the pod's, so one number serves compose, the image and Kubernetes.
    expect(managementPort).toBe(MANAGEMENT_PORT);
  });

  it('api runs the management listener on every container address, and its healthcheck goes there', () => {
    const env = composeEnvironment(service('api'));
    // Docker forwards a published port to the container's own address, never to its loopback.
    expect(env.MANAGEMENT_HOST).toBe('0.0.0.0');
    const { managementPort } = parseAppConfig(env).get(HTTP_SETTINGS);
    expect(resolveSettings(env)).toEqual({
      url: `http://127.0.0.1:${managementPort}/api/v1/health`,
      timeoutMs: DEFAULT_TIMEOUT_MS,
    });
  });

  it('api healthcheck is node running the built healthcheck script, with a timeout above the script own', () => {
    const { kind, argv } = healthcheckCommand(service('api').healthcheck);
    expect(kind).toBe('CMD');
    expect(argv).toEqual(['node', 'dist/cli/healthcheck.js']);
    expect(existsSync(join(ROOT, argv[1]))).toBe(true);
    expect(durationMs(service('api').healthcheck?.timeout ?? '30s')).toBeGreaterThan(DEFAULT_TIMEOUT_MS);
  });

  it('mounts the plugins volume at PLUGINS_DIR, the folder the image ships its plugins in', () => {
    const pluginsDir = composeEnvironment(service('api')).PLUGINS_DIR;
    expect(pluginsDir).toBeDefined();
    const targets = (service('api').volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
    expect(targets).toContain(pluginsDir);
    const [pluginsCopy] = inStage(lastStage, 'COPY').filter((i) => /^plugins\/?\s/.test(i.args));
    expect(pluginsCopy).toBeDefined();
    expect(posix.resolve(runtimeWorkdir(), pluginsCopy.args.split(/\s+/)[1])).toBe(pluginsDir);
  });

  it('keeps the durable history in a named volume at HEALTH_DATA_DIR, the folder the image keeps for it', () => {
    const dataDir = composeEnvironment(service('api')).HEALTH_DATA_DIR;
    expect(inStage(lastStage, 'VOLUME').map((i) => i.args)).toEqual([dataDir]);
    const mounts = (service('api').volumes ?? []).map((v) =>
      typeof v === 'string' ? v.split(':') : [v.source, v.target],
    );
    const [source, , mode] = mounts.find(([, target]) => target === dataDir) ?? [];
    // Named (a volume of the project, not a host folder) and writable.
    expect(mode).toBeUndefined();
    const topLevel = (parse(readRepoFile('docker-compose.yml')) as { volumes?: Record<string, unknown> }).volumes ?? {};
    expect(Object.keys(topLevel)).toContain(source);
  });

  it('gives api more time to stop than the shutdown delay', () => {
    const delay = Number(composeEnvironment(service('api')).HEALTH_SHUTDOWN_DELAY_MS ?? 5000);
    expect(durationMs(service('api').stop_grace_period ?? '10s')).toBeGreaterThan(delay + 5000);
  });
});
