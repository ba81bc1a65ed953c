import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_TIMEOUT_MS } from '../src/cli/healthcheck';
import { parseConfig } from '../src/config/app-config';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/kubernetes/) against each other, against what
 * `npm run build` produces and against the app's configuration; then the container healthcheck, run exactly as
 * Docker and compose run it, against the real app in every state. Needs `npm run build` first (as `npm test` does).
 */

const ROOT = join(__dirname, '..');
const K8S = join(ROOT, 'deploy', 'kubernetes');
const read = (...path: string[]): string => readFileSync(join(ROOT, ...path), 'utf8');

/** Variables the app reads, taken from the text of its config parser so a new one is known without editing this. */
function appVariables(): Set<string> {
  const source = read('src', 'config', 'app-config.ts');
  const names = new Set<string>();
  for (const match of source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(match[1]);
  for (const match of source.matchAll(/\benv,\s*'([A-Z][A-Z0-9_]*)'/g)) names.add(match[1]);
  return names;
}

/** Variables the healthcheck script reads. */
function healthcheckVariables(): Set<string> {
  return new Set([...read('src', 'cli', 'healthcheck.ts').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
}

const APP_VARIABLES = appVariables();
const KNOWN_VARIABLES = new Set([...APP_VARIABLES, ...healthcheckVariables(), 'NODE_ENV']);

/** The value compose would use with none of the referenced variables set: `${X:-d}` becomes d, `${X}` empty. */
function withComposeDefaults(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? '');
}

/** Compose durations as used here: `15s`, `1m30s`, `500ms`. */
function durationMs(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  expect(parts.map((p) => p[0]).join('')).toBe(value);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u as keyof typeof unit], 0);
}

// ---------------------------------------------------------------------------------------------------- compose ---

interface ComposeHealthcheck {
  test?: string[] | string;
  timeout?: string;
}
interface ComposePort {
  host_ip?: string;
  published?: string | number;
  target?: number;
}
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | null> | string[];
  ports?: Array<string | ComposePort>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: ComposeHealthcheck;
  stop_grace_period?: string;
}
interface ComposeFile {
  services?: Record<string, ComposeService>;
}

const compose = parse(read('docker-compose.yml')) as ComposeFile;
const services = compose.services ?? {};

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** Environment of a compose service as name → value with compose defaults applied. */
function composeEnvironment(svc: ComposeService): Record<string, string> {
  const entries: Array<[string, string]> = Array.isArray(svc.environment)
    ? svc.environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(svc.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, withComposeDefaults(v)]));
}

/** Published ports as { hostIp, published, target }, from either compose syntax. */
function publishedPorts(svc: ComposeService): Array<{ hostIp: string; published: string; target: number }> {
  return (svc.ports ?? []).map((port) => {
    if (typeof port !== 'string') {
      return { hostIp: port.host_ip ?? '', published: String(port.published ?? ''), target: Number(port.target) };
    }
    const parts = withComposeDefaults(port).split(':');
    const target = Number(parts.pop());
    const published = parts.pop() ?? '';
    return { hostIp: parts.join(':'), published, target };
  });
}

/** A healthcheck's command as argv (CMD form) or as one shell string (CMD-SHELL or string form). */
function healthcheckCommand(check: ComposeHealthcheck | undefined): { kind: string; argv: string[] } {
  const test = check?.test;
  if (typeof test === 'string') return { kind: 'CMD-SHELL', argv: [test] };
  if (!test || test.length < 2) throw new Error('healthcheck has no test command');
  return { kind: test[0], argv: test.slice(1) };
}

// ------------------------------------------------------------------------------------------------- Dockerfile ---

interface Instruction {
  stage: number;
  keyword: string;
  args: string;
}

/** Instructions of a Dockerfile (continuations joined, comments dropped), each tagged with its stage index. */
function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  let stage = -1;
  return logical.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    if (keyword.toUpperCase() === 'FROM') stage += 1;
    return { stage, keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
}

const dockerfile = parseDockerfile(read('Dockerfile'));
const stages = dockerfile.filter((i) => i.keyword === 'FROM');
const lastStage = stages.length - 1;
const inStage = (stage: number, keyword: string): Instruction[] =>
  dockerfile.filter((i) => i.stage === stage && i.keyword === keyword);
const stageName = (from: Instruction): string | undefined => /\s+AS\s+(\S+)$/i.exec(from.args)?.[1];

/** The JSON-array (exec) form of CMD/HEALTHCHECK CMD, or undefined for the shell form. */
function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const healthcheckInstruction = (): { options: Record<string, string>; cmd: string[] | undefined } => {
  const [instruction] = inStage(lastStage, 'HEALTHCHECK');
  if (!instruction) throw new Error('the runtime stage has no HEALTHCHECK');
  const match = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(.*)$/i.exec(instruction.args);
  if (!match) throw new Error(`cannot read HEALTHCHECK ${instruction.args}`);
  const options = Object.fromEntries([...match[1].matchAll(/--([a-z-]+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  return { options, cmd: execForm(match[2]) };
};

/** The final stage's WORKDIR (absolute), against which relative paths in CMD and HEALTHCHECK resolve. */
const runtimeWorkdir = (): string => inStage(lastStage, 'WORKDIR').at(-1)?.args ?? '/';

// ------------------------------------------------------------------------------------------------- Kubernetes ---

interface Probe {
  httpGet?: { path?: string; port?: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
  timeoutSeconds?: number;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string }; configMapKeyRef?: { name?: string; key?: string } };
}
interface Container {
  name?: string;
  image?: string;
  ports?: Array<{ name?: string; containerPort?: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name?: string }; secretRef?: { name?: string } }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; readOnlyRootFilesystem?: boolean };
}
interface Manifest {
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    type?: string;
    ports?: Array<{ port?: number; targetPort?: string | number }>;
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: {
        terminationGracePeriodSeconds?: number;
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        containers?: Container[];
      };
    };
  };
}

const manifestFiles = readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f));
const manifests = new Map<string, Manifest[]>(
  manifestFiles.map((file) => [
    file,
    parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest;
    }),
  ]),
);

function manifestOfKind(kind: string): Manifest {
  const found = [...manifests.values()].flat().filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} in deploy/kubernetes, found ${found.length}`);
  return found[0];
}

const configMap = manifestOfKind('ConfigMap');
const configData = configMap.data ?? {};
const deployment = manifestOfKind('Deployment');
const podSpec = deployment.spec?.template?.spec ?? {};
const container = (): Container => {
  const containers = podSpec.containers ?? [];
  expect(containers).toHaveLength(1);
  return containers[0];
};
const shutdownDelayMs = Number(configData.HEALTH_SHUTDOWN_DELAY_MS ?? 5000);
const probeKinds = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;
const PROBE_PATHS = {
  startupProbe: '/api/v1/health/live',
  livenessProbe: '/api/v1/health/live',
  readinessProbe: '/api/v1/health/ready',
} as const;

// --------------------------------------------------------------------------------------------------- the tests ---

describe('the known configuration variables', () => {
  it('are read from the app config and the healthcheck script (the extraction still works)', () => {
    const expected = ['PORT', 'HOST', 'DATABASE_URL', 'REDIS_URL', 'PLUGINS_DIR', 'APP_VERSION', 'DISABLED_PLUGINS'];
    for (const name of [...expected, 'HEALTH_SHUTDOWN_DELAY_MS']) expect(APP_VARIABLES).toContain(name);
    expect(KNOWN_VARIABLES).toContain('HEALTHCHECK_URL');
    expect(KNOWN_VARIABLES).toContain('HEALTHCHECK_TIMEOUT_MS');
  });
});

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

  it('publishes postgres and redis on loopback at the ports the app and the tests default to', () => {
    const defaults = parseConfig({ PATH: '' });
    const pgPort = new URL(defaults.databaseUrl).port;
    const redisPort = new URL(defaults.redisUrl).port;
    const loopback = (published: string, target: number) => ({ hostIp: '127.0.0.1', published, target });
    expect(publishedPorts(service('postgres'))).toContainEqual(loopback(pgPort, 5432));
    expect(publishedPorts(service('redis'))).toContainEqual(loopback(redisPort, 6379));
  });

  it('postgres accepts the passwordless default DATABASE_URL (trust, for local development)', () => {
    const env = composeEnvironment(service('postgres'));
    expect(new URL(parseConfig({ PATH: '' }).databaseUrl).password).toBe('');
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
    expect(() => parseConfig(env)).not.toThrow();
    expect(env.DATABASE_URL).toBe('postgres://postgres@postgres:5432/postgres');
    expect(env.REDIS_URL).toBe('redis://redis:6379');
  });

  it('api publishes the port it listens on, and the image exposes it', () => {
    const port = parseConfig(composeEnvironment(service('api'))).port;
    expect(publishedPorts(service('api')).map((p) => p.target)).toEqual([port]);
    expect(inStage(lastStage, 'EXPOSE').map((i) => Number(i.args))).toEqual([port]);
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

  it('gives api more time to stop than the shutdown delay', () => {
    const delay = Number(composeEnvironment(service('api')).HEALTH_SHUTDOWN_DELAY_MS ?? 5000);
    expect(durationMs(service('api').stop_grace_period ?? '10s')).toBeGreaterThan(delay + 5000);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage on slim Node 20', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from.args).toMatch(/^node:20(\.[\d.]+)?-bookworm-slim\b/);
  });

  it('builds with dev dependencies in an earlier stage, and copies dist/ from it', () => {
    const [copy] = inStage(lastStage, 'COPY').filter((i) => i.args.includes('--from='));
    expect(copy).toBeDefined();
    const fromName = /--from=(\S+)/.exec(copy.args)?.[1];
    const buildStage = stages.findIndex((s) => stageName(s) === fromName);
    expect(buildStage).toBeGreaterThanOrEqual(0);
    expect(buildStage).toBeLessThan(lastStage);
    const runs = inStage(buildStage, 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    expect(copy.args).toMatch(/\/dist\s+\.?\/?dist\/?$/);
  });

  it('installs production dependencies only in the runtime stage', () => {
    const runs = inStage(lastStage, 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(false);
  });

  it('copies into the image only files that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'dist', '.git', '.env']) expect(ignored).toContain(entry);
    const sources = dockerfile
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect([source, existsSync(join(ROOT, source))]).toEqual([source, true]);
      expect([source, ignored.includes(source.split('/')[0])]).toEqual([source, false]);
    }
  });

  it('runs as a non-root user', () => {
    const user = inStage(lastStage, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it('sets production mode and the port', () => {
    const env = inStage(lastStage, 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bPORT=3000\b/);
  });

  it('HEALTHCHECK runs the script npm run build produced, with node, within its --timeout', () => {
    const { options, cmd } = healthcheckInstruction();
    expect(cmd).toEqual(['node', 'dist/cli/healthcheck.js']);
    expect(existsSync(join(ROOT, 'dist', 'cli', 'healthcheck.js'))).toBe(true);
    expect(durationMs(options.timeout ?? '30s')).toBeGreaterThan(DEFAULT_TIMEOUT_MS);
    expect(options['start-period']).toBeDefined();
  });

  it('starts dist/main.js with node as PID 1 (exec form) and stops it with SIGTERM', () => {
    const cmd = inStage(lastStage, 'CMD').at(-1);
    expect(cmd && execForm(cmd.args)).toEqual(['node', 'dist/main.js']);
    expect(existsSync(join(ROOT, 'dist', 'main.js'))).toBe(true);
    expect(inStage(lastStage, 'ENTRYPOINT')).toEqual([]);
    expect(inStage(lastStage, 'STOPSIGNAL').map((i) => i.args)).toEqual(['SIGTERM']);
  });
});

describe('deploy/kubernetes', () => {
  it('kustomization lists every manifest but the secret example, and no Secret', () => {
    const kustomization = parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
    const resources = kustomization.resources ?? [];
    expect([...resources].sort()).toEqual(
      manifestFiles.filter((f) => f !== 'kustomization.yaml' && f !== 'secret.example.yaml').sort(),
    );
    for (const file of resources) {
      expect((manifests.get(file) ?? []).map((m) => m.kind)).not.toContain('Secret');
    }
  });

  it('the ConfigMap holds only variables the app knows, no DATABASE_URL, and values that boot the app', () => {
    for (const name of Object.keys(configData)) expect([name, APP_VARIABLES.has(name)]).toEqual([name, true]);
    expect(configData).not.toHaveProperty('DATABASE_URL');
    expect(() => parseConfig({ ...configData, DATABASE_URL: 'postgres://app@db:5432/app' })).not.toThrow();
  });

  it('the Deployment reads the ConfigMap and takes DATABASE_URL from the Secret, never a literal', () => {
    const c = container();
    expect(c.envFrom?.map((e) => e.configMapRef?.name)).toContain(configMap.metadata?.name);
    const databaseUrl = c.env?.find((e) => e.name === 'DATABASE_URL');
    expect(databaseUrl?.value).toBeUndefined();
    const ref = databaseUrl?.valueFrom?.secretKeyRef;
    expect(ref?.name).toBeDefined();
    const [example] = manifests.get('secret.example.yaml') ?? [];
    expect(example?.kind).toBe('Secret');
    expect(example?.metadata?.name).toBe(ref?.name);
    expect(Object.keys(example?.stringData ?? example?.data ?? {})).toContain(ref?.key);
    for (const e of c.env ?? []) expect([e.name, APP_VARIABLES.has(e.name)]).toEqual([e.name, true]);
  });

  it('no manifest holds a password: URLs carry only the REPLACE_ME placeholder', () => {
    for (const file of manifestFiles) {
      const text = readFileSync(join(K8S, file), 'utf8');
      expect([file, /passw(or)?d|passwd/i.test(text)]).toEqual([file, false]);
      for (const [, password] of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]*)@/gi)) {
        expect([file, password]).toEqual([file, 'REPLACE_ME']);
      }
    }
    for (const file of ['docker-compose.yml', 'Dockerfile']) {
      expect([file, /[a-z]+:\/\/[^\s/:@]*:[^\s/@]+@/i.test(read(file))]).toEqual([file, false]);
    }
  });

  it('has startup, liveness and readiness probes on the right routes and the named port', () => {
    const c = container();
    const httpPort = c.ports?.find((p) => p.name === 'http');
    expect(httpPort?.containerPort).toBe(Number(configData.PORT ?? 3000));
    for (const kind of probeKinds) {
      expect([kind, c[kind]?.httpGet]).toEqual([kind, { path: PROBE_PATHS[kind], port: 'http' }]);
    }
  });

  it('gives every probe more time than the slowest dependency probe (database timeout)', () => {
    const c = container();
    const slowest = Math.max(
      Number(configData.HEALTH_DB_TIMEOUT_MS ?? 2000),
      Number(configData.HEALTH_CACHE_TIMEOUT_MS ?? 1000),
    );
    for (const kind of probeKinds) {
      expect([kind, (c[kind]?.timeoutSeconds ?? 1) * 1000 > slowest]).toEqual([kind, true]);
    }
  });

  it('gives the app about a minute to start', () => {
    const startup = container().startupProbe ?? {};
    const seconds = (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3);
    expect(seconds).toBeGreaterThanOrEqual(60);
    expect(seconds).toBeLessThanOrEqual(180);
  });

  it('waits longer than the shutdown delay plus a drain before killing the pod', () => {
    const grace = podSpec.terminationGracePeriodSeconds;
    expect(grace).toBeDefined();
    expect((grace ?? 0) * 1000).toBeGreaterThan(shutdownDelayMs + 10_000);
  });

  it('requests resources and limits memory', () => {
    const resources = container().resources;
    expect(resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(resources?.limits?.memory).toBeDefined();
  });

  it('runs as a numeric non-root user on a read-only root filesystem', () => {
    const c = container();
    expect(c.securityContext?.runAsNonRoot ?? podSpec.securityContext?.runAsNonRoot).toBe(true);
    expect(c.securityContext?.readOnlyRootFilesystem).toBe(true);
    // The image says USER node (a name): the kubelet can only enforce runAsNonRoot with a numeric uid.
    const uid = c.securityContext?.runAsUser ?? podSpec.securityContext?.runAsUser;
    expect(uid).toBeGreaterThan(0);
  });

  it('the Service selects the pods and targets the named port', () => {
    const svc = manifestOfKind('Service');
    expect(svc.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(svc.spec?.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 'http' })]);
    const podLabels = deployment.spec?.template?.metadata?.labels ?? {};
    const selector = svc.spec?.selector ?? {};
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    expect(podLabels).toMatchObject(selector);
    expect(podLabels).toMatchObject(deployment.spec?.selector?.matchLabels ?? { missing: 'matchLabels' });
  });
});

// ------------------------------------------------------------------------------------------- live healthcheck ---

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `argv` in the repository root (the image's WORKDIR holds the same dist/) with exactly `env` plus PATH. */
function run(argv: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: performance.now() - start });
    });
  });
}

const SCRIPT = ['node', 'dist/cli/healthcheck.js'];

/** The script exited with `code` after printing exactly `line` and nothing on stderr (node's own errors land there). */
function expectRun(result: Run, code: number, line: string): void {
  const { code: seenCode, stdout, stderr } = result;
  expect({ code: seenCode, stdout, stderr }).toEqual({ code, stdout: `${line}\n`, stderr: '' });
}

/** A TCP server that accepts and then does `onConnection` (nothing, by default: a hung server). */
async function rawServer(
  onConnection: (socket: Socket) => void = () => undefined,
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}/api/v1/health`,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the healthcheck script against the real app', () => {
  let deps: ProxiedDependencies;
  let app: RunningApp;
  let healthUrl: string;
  let appPort: string;

  const waitForStatus = (status: string): Promise<unknown> =>
    waitFor(
      async () => {
        const answer = await app.get();
        return answer.body.status === status;
      },
      { what: `a ${status} report` },
    );

  beforeAll(async () => {
    deps = await proxyDependencies();
    app = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0' });
    healthUrl = `${app.url}/api/v1/health`;
    appPort = new URL(app.url).port;
  });
  afterAll(async () => {
    await app?.close();
    await deps?.close();
  });
  afterEach(async () => {
    await deps.db.setMode('pass');
    await deps.cache.setMode('pass');
  });

  it('exits 0 with "healthy 200" when the app is healthy', async () => {
    await waitForStatus('healthy');
    const result = await run(SCRIPT, { HEALTHCHECK_URL: healthUrl });
    expectRun(result, 0, 'healthy 200');
  });

  it('the compose and Dockerfile healthcheck commands, given only PORT, check this app', async () => {
    await waitForStatus('healthy');
    const composeArgv = healthcheckCommand(service('api').healthcheck).argv;
    const dockerArgv = healthcheckInstruction().cmd ?? [];
    for (const argv of [composeArgv, dockerArgv]) {
      expectRun(await run(argv, { PORT: appPort }), 0, 'healthy 200');
    }
    // And PORT really is what it used: another port is refused.
    const closed = String(await freePort());
    expectRun(
      await run(composeArgv, { PORT: closed }),
      1,
      `cannot reach http://127.0.0.1:${closed}/api/v1/health: ECONNREFUSED (nothing listening)`,
    );
  });

  it('exits 0 with "degraded 200" when Redis is down', async () => {
    await deps.cache.setMode('refuse');
    await waitForStatus('degraded');
    expectRun(await run(SCRIPT, { HEALTHCHECK_URL: healthUrl }), 0, 'degraded 200');
  });

  it('exits 1 with "unhealthy 503" when PostgreSQL is down; the pod probes react as designed', async () => {
    await deps.db.setMode('refuse');
    await waitForStatus('unhealthy');
    expectRun(await run(SCRIPT, { HEALTHCHECK_URL: healthUrl }), 1, 'unhealthy 503');
    // Kubernetes: startup and liveness stay 200 (no restart for a database outage), readiness drops the pod.
    const c = container();
    for (const kind of probeKinds) {
      const { status } = await app.get((c[kind]?.httpGet?.path ?? '').replace(/^\/api\/v1/, ''));
      expect([kind, status]).toEqual([kind, kind === 'readinessProbe' ? 503 : 200]);
    }
  });

  it('every Kubernetes probe route answers 200 on a healthy app', async () => {
    await waitForStatus('healthy');
    const c = container();
    for (const kind of probeKinds) {
      const { status } = await app.get((c[kind]?.httpGet?.path ?? '').replace(/^\/api\/v1/, ''));
      expect([kind, status]).toEqual([kind, 200]);
    }
  });

  it('exits 1 with "cannot reach … ECONNREFUSED" when nothing listens, without the URL\'s credentials', async () => {
    const port = await freePort();
    const url = `http://probe:s3cret@127.0.0.1:${port}/api/v1/health?token=t0ken`;
    expectRun(
      await run(SCRIPT, { HEALTHCHECK_URL: url }),
      1,
      `cannot reach http://127.0.0.1:${port}/api/v1/health: ECONNREFUSED (nothing listening)`,
    );
  });

  it('cuts off a server that accepts and never answers at HEALTHCHECK_TIMEOUT_MS', async () => {
    const hung = await rawServer();
    try {
      const result = await run(SCRIPT, { HEALTHCHECK_URL: hung.url, HEALTHCHECK_TIMEOUT_MS: '500' });
      expectRun(result, 1, `${hung.url} timed out after 500 ms`);
      expect(result.ms).toBeGreaterThanOrEqual(450);
      expect(result.ms).toBeLessThan(2000);
    } finally {
      await hung.close();
    }
  });

  it('cuts off a server that sends 200 headers and then stalls the body', async () => {
    const stalling = await rawServer((socket) => {
      const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n';
      socket.once('data', () => socket.write(`${head}{"sta`));
    });
    try {
      const result = await run(SCRIPT, { HEALTHCHECK_URL: stalling.url, HEALTHCHECK_TIMEOUT_MS: '500' });
      expectRun(result, 1, `${stalling.url} timed out after 500 ms`);
      expect(result.ms).toBeLessThan(2000);
    } finally {
      await stalling.close();
    }
  });
});
