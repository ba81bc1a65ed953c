import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { DEFAULT_TIMEOUT_MS, resolveSettings } from '../src/cli/healthcheck';
import { parseConfig } from '../src/config/app-config';
import { CLOSE_GRACE_MS } from '../src/serve';
import { probe, RunningApp, startApp, untilStatus } from './support/app';
import { APP_VARIABLES, KNOWN_VARIABLES } from './support/app-variables';
import { ChildApp } from './support/child-app';
import {
  composeEnvironment,
  healthcheckCommand,
  publishedPorts,
  readCompose,
  service,
  services,
} from './support/compose-file';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import {
  dockerfile,
  execForm,
  healthcheckInstruction,
  inStage,
  lastStage,
  runtimeWorkdir,
  stageName,
  stages,
} from './support/dockerfile';
import { durationMs } from './support/durations';
import { expectRun, run, SCRIPT } from './support/healthcheck-run';
import {
  applied,
  configData,
  configMap,
  container,
  containerPort,
  deployment,
  K8S,
  kustomization,
  MAIN_PORT,
  MANAGEMENT_PORT,
  manifestFiles,
  manifestOfKind,
  manifests,
  podAnnotations,
  podLabels,
  podSpec,
  preStopSleepSeconds,
  probeKinds,
  selects,
  serviceNamed,
  shutdownDelayMs,
} from './support/kubernetes-manifests';
import { manifestSchemaErrors, schemaErrors, typeErrors } from './support/kubernetes-schema';
import { freePort } from './support/ports';
import { rawServer } from './support/raw-server';
import { readRepoFile, ROOT } from './support/repository';
import { DETAILS_ROUTES, EVENTS_PATH, METRICS_PATH, PROBE_PATHS } from './support/service-routes';
import { statusOf } from './support/status-of';
import { waitFor } from './support/wait';

/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/kubernetes/) against each other, against what
 * `npm run build` produces and against the app's configuration; then the container healthcheck, run exactly as
 * Docker and compose run it, against the real app in every state. Needs `npm run build` first (as `npm test` does).
 * The parsers and the shared helpers are in test/support/.
 */

/** How long the app may take to close after the drain delay before its own watchdog exits. */
const closeGraceMs = CLOSE_GRACE_MS;
/**
 * How long after deletion a pod must still serve: kube-proxy and ingress controllers apply an endpoint removal
 * about a second apart on a quiet cluster, several seconds on a busy one.
 */
const ENDPOINT_PROPAGATION_MS = 10_000;

// --------------------------------------------------------------------------------------------------- the tests ---

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
    const defaults = parseConfig({ PATH: '' });
    const pgPort = new URL(defaults.databaseUrl).port;
    const redisPort = new URL(defaults.redisUrl).port;
    const loopback = (published: string, target: number) => ({ hostIp: '127.0.0.1', published, target });
    expect(publishedPorts(overrides.postgres)).toEqual([loopback(pgPort, 5432)]);
    expect(publishedPorts(overrides.redis)).toEqual([loopback(redisPort, 6379)]);
  });

  it('every healthcheck checks every second while starting, then at its interval', () => {
    for (const name of ['postgres', 'redis', 'api']) {
      const check = service(name).healthcheck ?? {};
      expect([name, durationMs(check.start_interval ?? 'none')]).toEqual([name, 1000]);
      expect(durationMs(check.start_period ?? '0s')).toBeGreaterThanOrEqual(10_000);
      expect(durationMs(check.interval ?? '30s')).toBeGreaterThan(1000);
    }
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

  it('api publishes its main and management ports on loopback only, and the image exposes both', () => {
    const { port, managementPort } = parseConfig(composeEnvironment(service('api')));
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
    const { managementPort } = parseConfig(env);
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

  it('gives api more time to stop than the shutdown delay', () => {
    const delay = Number(composeEnvironment(service('api')).HEALTH_SHUTDOWN_DELAY_MS ?? 5000);
    expect(durationMs(service('api').stop_grace_period ?? '10s')).toBeGreaterThan(delay + 5000);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage on slim Node 24', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of stages) expect(from.args).toMatch(/^node:24(\.[\d.]+)?-bookworm-slim\b/);
  });

  it('installs the scanner packages only when WITH_SCANNERS=true, and compose passes the choice on', () => {
    const args = inStage(lastStage, 'ARG').map((i) => i.args);
    expect(args).toContain('WITH_SCANNERS=false');
    expect(args.some((a) => /^SCANNER_PACKAGES="[a-z0-9.+\s-]+"$/.test(a))).toBe(true);
    const install = inStage(lastStage, 'RUN').find((i) => i.args.includes('$SCANNER_PACKAGES'));
    expect(install?.args).toMatch(/"\$WITH_SCANNERS"/);
    const build = service('api').build;
    expect(typeof build === 'object' && build.args).toEqual({ WITH_SCANNERS: '${WITH_SCANNERS:-false}' });
  });

  it('runs no install script of a dependency while building, with the telemetry opt-outs set too', () => {
    const runs = dockerfile.filter((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) expect(run.args).toMatch(/--ignore-scripts\b/);
    for (const stage of stages.keys()) {
      const args = inStage(stage, 'ARG').map((i) => i.args);
      expect(args).toEqual(expect.arrayContaining(['SCARF_ANALYTICS=false', 'DO_NOT_TRACK=1']));
    }
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
    const ignored = readRepoFile('.dockerignore')
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
  it('kustomization lists every manifest but the *.example.yaml files, and no Secret', () => {
    const resources = kustomization.resources ?? [];
    const examples = manifestFiles.filter((f) => f.endsWith('.example.yaml'));
    expect(examples.sort()).toEqual([
      'networkpolicy.example.yaml',
      'secret.example.yaml',
      'servicemonitor.example.yaml',
    ]);
    expect([...resources].sort()).toEqual(
      manifestFiles.filter((f) => f !== 'kustomization.yaml' && !examples.includes(f)).sort(),
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
      const text = readRepoFile('deploy', 'kubernetes', file);
      expect([file, /passw(or)?d|passwd/i.test(text)]).toEqual([file, false]);
      for (const [, password] of text.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:([^\s/@]*)@/gi)) {
        expect([file, password]).toEqual([file, 'REPLACE_ME']);
      }
    }
    for (const file of ['docker-compose.yml', 'Dockerfile']) {
      expect([file, /[a-z]+:\/\/[^\s/:@]*:[^\s/@]+@/i.test(readRepoFile(file))]).toEqual([file, false]);
    }
  });

  it('has startup, liveness and readiness probes on the right routes and the management port', () => {
    const c = container();
    expect(c.ports?.map((p) => [p.name, p.containerPort])).toEqual([
      ['http', MAIN_PORT],
      ['management', MANAGEMENT_PORT],
    ]);
    for (const kind of probeKinds) {
      expect([kind, c[kind]?.httpGet]).toEqual([kind, { path: PROBE_PATHS[kind], port: 'management' }]);
    }
  });

  it('the ConfigMap runs the management listener on the pod IP, apart from the traffic port', () => {
    const config = parseConfig({ ...configData, DATABASE_URL: 'postgres://app@db:5432/app' });
    expect(config.managementPort).toBe(MANAGEMENT_PORT);
    expect(config.port).toBe(MAIN_PORT);
    // The kubelet and Prometheus connect to the pod IP: a loopback listener would fail every probe.
    expect(['0.0.0.0', '::']).toContain(config.managementHost);
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

  it('keeps serving after deletion long enough for endpoint removal to propagate (preStop sleep + drain delay)', () => {
    const drainMs = preStopSleepSeconds(container()) * 1000 + shutdownDelayMs;
    expect(drainMs).toBeGreaterThanOrEqual(ENDPOINT_PROPAGATION_MS);
    // The readiness 503 of the drain does not remove the pod in time: the kubelet sees it this late at best.
    const readiness = container().readinessProbe ?? {};
    const notReadyAfterMs = (readiness.periodSeconds ?? 10) * (readiness.failureThreshold ?? 3) * 1000;
    expect(notReadyAfterMs).toBeGreaterThanOrEqual(ENDPOINT_PROPAGATION_MS);
  });

  it('waits longer than preStop + drain delay + the app close budget before killing the pod', () => {
    expect(closeGraceMs).toBeGreaterThan(0);
    const grace = podSpec.terminationGracePeriodSeconds;
    expect(grace).toBeDefined();
    const appBudgetMs = preStopSleepSeconds(container()) * 1000 + shutdownDelayMs + closeGraceMs;
    // Strictly more: the app's watchdog, which logs why, fires before the kubelet's SIGKILL.
    expect((grace ?? 0) * 1000).toBeGreaterThan(appBudgetMs);
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
    const svc = serviceNamed('secuscan-health');
    expect(svc.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(svc.spec?.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 'http' })]);
    const selector = svc.spec?.selector ?? {};
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    expect(podLabels).toMatchObject(selector);
    expect(podLabels).toMatchObject(deployment.spec?.selector?.matchLabels ?? { missing: 'matchLabels' });
    // Traffic only to ready pods.
    expect(svc.spec?.publishNotReadyAddresses ?? false).toBe(false);
  });

  it('the status Service reaches the same pods ready or not, on the probes (management) port', () => {
    const status = serviceNamed('secuscan-health-status');
    expect(status.spec?.publishNotReadyAddresses).toBe(true);
    expect(status.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(status.spec?.selector).toEqual(serviceNamed('secuscan-health').spec?.selector);
    expect(selects(status.spec?.selector, podLabels)).toBe(true);
    const [port] = status.spec?.ports ?? [];
    expect(port?.targetPort).toBe(container().readinessProbe?.httpGet?.port);
    expect(port?.targetPort).toBe('management');
  });

  it('probes, the status Service and the scrape annotation use one named container port', () => {
    // Health, probes and metrics live on the management listener, which has a connection budget of its own.
    const c = container();
    const names = new Set([
      ...probeKinds.map((kind) => c[kind]?.httpGet?.port),
      ...(serviceNamed('secuscan-health-status').spec?.ports ?? []).map((p) => p.targetPort),
    ]);
    expect([...names]).toEqual(['management']);
    expect(containerPort(c, 'management')).toBe(MANAGEMENT_PORT);
    expect(Number(podAnnotations['prometheus.io/port'])).toBe(MANAGEMENT_PORT);
  });

  it('scrape annotations point at the metrics route on a container port', () => {
    expect(podAnnotations['prometheus.io/scrape']).toBe('true');
    expect(podAnnotations['prometheus.io/path']).toBe(METRICS_PATH);
    const port = Number(podAnnotations['prometheus.io/port']);
    expect(container().ports?.map((p) => p.containerPort)).toContain(port);
  });

  it('the ServiceMonitor example scrapes the metrics route through exactly one Service, the status one', () => {
    const [monitor] = manifests.get('servicemonitor.example.yaml') ?? [];
    expect(monitor?.kind).toBe('ServiceMonitor');
    const selected = applied().filter(
      (m) => m.kind === 'Service' && selects(monitor?.spec?.selector?.matchLabels, m.metadata?.labels),
    );
    // Two selected Services would scrape every pod twice; the status one lists unready pods too.
    expect(selected.map((m) => m.metadata?.name)).toEqual(['secuscan-health-status']);
    const servicePorts = (selected[0].spec?.ports ?? []).map((p) => p.name);
    expect(monitor?.spec?.endpoints?.length).toBeGreaterThan(0);
    for (const endpoint of monitor?.spec?.endpoints ?? []) {
      expect(servicePorts).toContain(endpoint.port);
      expect(endpoint.path).toBe(METRICS_PATH);
    }
  });

  it('the NetworkPolicy example leaves the traffic port open and the management port to monitoring only', () => {
    const [policy] = manifests.get('networkpolicy.example.yaml') ?? [];
    expect(policy?.kind).toBe('NetworkPolicy');
    expect(selects(policy?.spec?.podSelector?.matchLabels, podLabels)).toBe(true);
    expect(policy?.spec?.policyTypes).toEqual(['Ingress']);
    const rules = policy?.spec?.ingress ?? [];
    const rulesFor = (port: string) => rules.filter((r) => (r.ports ?? []).some((p) => p.port === port));
    // Every container port has a rule, or the policy would close it.
    for (const { name } of container().ports ?? []) expect([name, rulesFor(name ?? '').length]).toEqual([name, 1]);
    // Traffic: from anywhere (no `from`). Management: from the monitoring namespace and nothing else.
    expect(rulesFor('http')[0].from).toBeUndefined();
    expect(rulesFor('management')[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });

  it('the PodDisruptionBudget covers exactly the Deployment pods and lets one go at a time', () => {
    const pdb = manifestOfKind('PodDisruptionBudget');
    const selector = pdb.spec?.selector?.matchLabels;
    expect(selects(selector, podLabels)).toBe(true);
    expect(selector).toEqual(deployment.spec?.selector?.matchLabels);
    const replicas = deployment.spec?.replicas ?? 1;
    expect(replicas).toBeGreaterThanOrEqual(2);
    // Exactly one of the two, as whole numbers, so both limits below are plain arithmetic.
    expect([pdb.spec?.maxUnavailable, pdb.spec?.minAvailable].filter((v) => v !== undefined)).toHaveLength(1);
    const mayBeDown = pdb.spec?.maxUnavailable ?? replicas - Number(pdb.spec?.minAvailable);
    expect(typeof mayBeDown).toBe('number');
    expect(mayBeDown).toBeGreaterThanOrEqual(1); // a node drain can proceed
    expect(mayBeDown).toBeLessThan(replicas); // one replica keeps serving
    // During a database outage every pod is unready; the default policy would block every drain until it ends.
    expect(pdb.spec?.unhealthyPodEvictionPolicy).toBe('AlwaysAllow');
  });

  it('spreads the pods across zones and nodes, per revision, softly', () => {
    const constraints = podSpec.topologySpreadConstraints ?? [];
    const keys = constraints.map((c) => c.topologyKey).sort();
    expect(keys).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const constraint of constraints) {
      expect([constraint.topologyKey, selects(constraint.labelSelector?.matchLabels, podLabels)]).toEqual([
        constraint.topologyKey,
        true,
      ]);
      expect(constraint.maxSkew).toBe(1);
      expect(constraint.whenUnsatisfiable).toBe('ScheduleAnyway');
      expect(constraint.matchLabelKeys).toEqual(['pod-template-hash']);
    }
  });

  it('every manifest is valid against the Kubernetes API schema (and the ServiceMonitor against its CRD)', async () => {
    const files = manifestFiles.filter((f) => f !== 'kustomization.yaml').map((f) => join(K8S, f));
    const results = await schemaErrors(files);
    expect(results.length).toBe(files.length);
    for (const { file, kind, errors } of results) expect([file, kind, errors]).toEqual([file, kind, null]);
  });

  it('the schema check rejects what the API server would (a wrong enum, a port that is not a number)', async () => {
    const pdb = manifestOfKind('PodDisruptionBudget');
    const service = serviceNamed('secuscan-health');
    const results = await manifestSchemaErrors([
      { ...pdb, spec: { ...pdb.spec, unhealthyPodEvictionPolicy: 'Never' } },
      { ...service, spec: { ...service.spec, ports: [{ port: 'eighty', targetPort: 'http' }] } },
    ]);
    expect(results.map((r) => r.errors)).toEqual([
      expect.stringContaining('unhealthyPodEvictionPolicy'),
      expect.stringContaining('/spec/ports/0/port'),
    ]);
  });

  it('no manifest has a field the Kubernetes API does not define (misspelled or misplaced)', () => {
    const all = manifestFiles
      .filter((f) => f !== 'kustomization.yaml')
      .flatMap((file) => (manifests.get(file) ?? []).map((manifest, i) => ({ label: `${file}#${i}`, manifest })));
    // And it would say so: a misspelled field, checked in the same compilation, is the only message.
    const c = container();
    const containers = [{ ...c, readinesProbe: {} }];
    const typo = { ...deployment, spec: { ...deployment.spec, template: { spec: { containers } } } };
    expect(typeErrors([...all, { label: 'typo', manifest: typo }])).toEqual([
      expect.stringMatching(/^typo: .*readinesProbe.* does not exist in type 'IContainer'/),
    ]);
  });
});

describe('the pod as deploy/kubernetes runs it, against the real app', () => {
  let deps: ProxiedDependencies;
  let service: ChildApp | undefined;
  let managementPort: number;

  /**
   * The ConfigMap's health settings (timings, pool) and its management listener, with the dependencies pointed at
   * the local proxies. The listeners bind loopback at free ports (the ConfigMap's wildcard and fixed port are for
   * the pod's own network namespace).
   */
  const podEnv = (): Record<string, string> => ({
    ...Object.fromEntries(Object.entries(configData).filter(([name]) => name.startsWith('HEALTH_'))),
    ...deps.env,
    MANAGEMENT_PORT: String(managementPort),
    MANAGEMENT_HOST: '127.0.0.1',
  });
  /** GET `path` (from the root) on the management port: what the probes, the status Service and Prometheus reach. */
  const management = (path: string) => probe(`http://127.0.0.1:${managementPort}${path}`);
  /** GET `path` (from the root) on the main port: what the Service secuscan-health routes traffic to. */
  const main = (app: ChildApp, path: string) => probe(`http://127.0.0.1:${app.port}${path}`);

  beforeEach(async () => {
    deps = await proxyDependencies();
    managementPort = await freePort();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await deps.close();
  });

  it('during a PostgreSQL outage the routes behind the status Service say why, and metrics are scraped', async () => {
    service = await ChildApp.start(podEnv());
    await untilStatus(() => management('/api/v1/health'), 'healthy');
    await deps.db.setMode('refuse');
    const report = await untilStatus(() => management('/api/v1/health'), 'unhealthy');
    // The kubelet's probes, on the management port: readiness 503 drops the pod from the main Service while
    // liveness keeps it running.
    const c = container();
    const ready = await management(c.readinessProbe?.httpGet?.path ?? '');
    expect(ready.status).toBe(503);
    expect(ready.body.reason).toMatch(/database/);
    expect((await management(c.livenessProbe?.httpGet?.path ?? '')).status).toBe(200);
    // What an operator reads through secuscan-health-status: the report, with the failing check and why.
    expect(report.status).toBe(503);
    const why = { status: 'error', detail: expect.any(String) };
    expect(report.body.checks.database).toEqual(expect.objectContaining(why));
    const metrics = await management(METRICS_PATH);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(metrics.body.raw).toMatch(/^secuscan_health_check_up\{[^}]*\bcheck="database"[^}]*\} 0$/m);
    expect((await management('/status')).status).toBe(200);
    // The traffic port shows the status only, and no details route at all; the probes answer there too.
    const mainReport = await main(service, '/api/v1/health');
    expect({ status: mainReport.status, body: mainReport.body }).toEqual({
      status: 503,
      body: {
        status: 'unhealthy',
        checks: { database: { status: 'error' }, cache: { status: 'ok' }, plugins: expect.any(Object) },
      },
    });
    for (const route of DETAILS_ROUTES) expect([route, (await main(service, route)).status]).toEqual([route, 404]);
    expect((await main(service, PROBE_PATHS.readinessProbe)).status).toBe(503);
    expect((await main(service, PROBE_PATHS.livenessProbe)).status).toBe(200);
  });

  it("a deleted pod serves through the ConfigMap's drain delay, exits 0 within the grace period", async () => {
    service = await ChildApp.start(podEnv());
    await service.until('healthy');
    const graceMs = (podSpec.terminationGracePeriodSeconds ?? 30) * 1000;
    const app = service;
    let exited = false;
    void app.exited.then(() => (exited = true));

    const signalledAt = performance.now();
    app.kill('SIGTERM');
    // Readiness fails on both listeners: the kubelet's probe (management) and any check on the traffic port.
    await waitFor(
      () =>
        Promise.all([management(PROBE_PATHS.readinessProbe), app.get('/health/ready')]).then(
          (answers) => answers.every((a) => a.status === 503),
          () => false,
        ),
      { what: 'ready 503 on both ports' },
    );

    // Requests still routed to the pod while endpoint removal propagates: all answered, with Connection: close.
    let lastServedMs = 0;
    const answers: Array<[number, string | null]> = [];
    await waitFor(
      async () => {
        if (exited) return true;
        const answer = await app.get('/health').catch(() => undefined);
        if (answer) {
          answers.push([answer.status, answer.headers.get('connection')]);
          lastServedMs = performance.now() - signalledAt;
        }
        return exited;
      },
      { what: 'the pod to exit', timeoutMs: graceMs, intervalMs: 100 },
    );
    const exitedMs = performance.now() - signalledAt;

    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect(answers.length).toBeGreaterThan(0);
    expect(new Set(answers.map(([status, connection]) => `${status} ${connection}`))).toEqual(new Set(['200 close']));
    expect(lastServedMs).toBeGreaterThanOrEqual(shutdownDelayMs - 1000);
    expect(exitedMs).toBeGreaterThanOrEqual(shutdownDelayMs);
    expect(exitedMs).toBeLessThan(graceMs);
  });
});

describe('the healthcheck script against the real app', () => {
  let deps: ProxiedDependencies;
  let app: RunningApp;
  let healthUrl: string;
  let appPort: string;
  let managementUrl: string;
  let managementPort: string;

  const waitForStatus = (status: string) => app.until(status);
  /** GET `path` (from the root) on the management listener, where the pod's probes go. */
  const management = (path: string) => probe(`${managementUrl}${path}`);

  beforeAll(async () => {
    deps = await proxyDependencies();
    managementPort = String(await freePort());
    app = await startApp({
      ...deps.env,
      HEALTH_CACHE_TTL_MS: '0',
      MANAGEMENT_PORT: managementPort,
      MANAGEMENT_HOST: '127.0.0.1',
    });
    managementUrl = app.managementUrl ?? '';
    healthUrl = `${managementUrl}/api/v1/health`;
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

  it('the compose and Dockerfile healthcheck commands, with the compose environment, check the management port', async () => {
    await waitForStatus('healthy');
    const composeArgv = healthcheckCommand(service('api').healthcheck).argv;
    const dockerArgv = healthcheckInstruction().cmd ?? [];
    // The compose api's environment (MANAGEMENT_HOST 0.0.0.0 included), with this app's ports in place of its own.
    const composeEnv = composeEnvironment(service('api'));
    expect(composeEnv.MANAGEMENT_PORT).toBeDefined();
    const closed = String(await freePort());
    for (const argv of [composeArgv, dockerArgv]) {
      const env = { ...composeEnv, PORT: closed, MANAGEMENT_PORT: managementPort };
      expectRun(await run(argv, env), 0, 'healthy 200');
    }
    // And the management port really is what it used: the main port serving does not help when it is closed.
    expectRun(
      await run(composeArgv, { ...composeEnv, PORT: appPort, MANAGEMENT_PORT: closed }),
      1,
      `cannot reach http://127.0.0.1:${closed}/api/v1/health: ECONNREFUSED (nothing listening)`,
    );
  });

  it('the image alone (no MANAGEMENT_PORT) checks PORT', async () => {
    await waitForStatus('healthy');
    const dockerArgv = healthcheckInstruction().cmd ?? [];
    expectRun(await run(dockerArgv, { PORT: appPort }), 0, 'healthy 200');
    const closed = String(await freePort());
    expectRun(
      await run(dockerArgv, { PORT: closed }),
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
    // Kubernetes: startup and liveness stay 200 (no restart for a database outage), readiness drops the pod; on
    // the management port the probes use, and on the main port as well.
    const c = container();
    for (const kind of probeKinds) {
      const path = c[kind]?.httpGet?.path ?? '';
      const expected = kind === 'readinessProbe' ? 503 : 200;
      expect([kind, (await management(path)).status]).toEqual([kind, expected]);
      expect([kind, (await app.get(path.replace(/^\/api\/v1/, ''))).status]).toEqual([kind, expected]);
    }
  });

  it('every Kubernetes probe route answers 200 on the management port of a healthy app', async () => {
    await waitForStatus('healthy');
    const c = container();
    for (const kind of probeKinds) {
      expect([kind, c[kind]?.httpGet?.port]).toEqual([kind, 'management']);
      const { status } = await management(c[kind]?.httpGet?.path ?? '');
      expect([kind, status]).toEqual([kind, 200]);
    }
  });

  it('details only on the management port: the main port answers status-only reports and 404 for the rest', async () => {
    await waitForStatus('healthy');
    const full = await management('/api/v1/health');
    expect(full.body).toEqual(expect.objectContaining({ status: 'healthy', version: expect.any(String) }));
    for (const route of DETAILS_ROUTES) expect([route, (await management(route)).status]).toEqual([route, 200]);
    const statusOnly = await app.get('/health');
    expect({ status: statusOnly.status, body: statusOnly.body }).toEqual({
      status: 200,
      body: {
        status: 'healthy',
        checks: { database: { status: 'ok' }, cache: { status: 'ok' }, plugins: { status: expect.any(String) } },
      },
    });
    for (const route of DETAILS_ROUTES) {
      expect([route, (await probe(`${app.url}${route}`)).status]).toEqual([route, 404]);
    }
    expect(await statusOf(`${app.url}${EVENTS_PATH}`)).toBe(404);
    expect(await statusOf(`${managementUrl}${EVENTS_PATH}`)).toBe(200);
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
