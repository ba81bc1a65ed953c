/**
 * deploy/kubernetes/, read statically: what the kustomization applies, the ConfigMap and Secret against the app's
 * configuration, the Deployment's probes, drain timings, resources and security context, the Services, the
 * scrape annotations and the ServiceMonitor, NetworkPolicy and PodDisruptionBudget, and every manifest against the
 * Kubernetes API schema. The pod as these files run it is started for real in lifecycle.system.e2e-spec.ts.
 */
import { join, posix } from 'node:path';
import { parseAppConfig } from '../../src/app.composition';
import { HTTP_SETTINGS } from '../../src/http/http.settings';
import { CLOSE_GRACE_MS } from '../../src/serve';
import { APP_VARIABLES } from '../support/app-variables';
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
} from '../support/kubernetes-manifests';
import { inStage, lastStage } from '../support/dockerfile';
import { manifestSchemaErrors, schemaErrors, typeErrors } from '../support/kubernetes-schema';
import { readRepoFile } from '../support/repository';
import { METRICS_PATH, PROBE_PATHS } from '../support/service-routes';

/** How long the app may take to close after the drain delay before its own watchdog exits. */
const closeGraceMs = CLOSE_GRACE_MS;
/**
 * How long after deletion a pod must still serve: kube-proxy and ingress controllers apply an endpoint removal
 * about a second apart on a quiet cluster, several seconds on a busy one.
 */
const ENDPOINT_PROPAGATION_MS = 10_000;

describe('deploy/kubernetes', () => {
  it('kustomization lists every manifest but the *.example.yaml files, and no Secret', () => {
    const resources = kustomization.resources ?? [];
    const examples = manifestFiles.filter((f) => f.endsWith('.example.yaml'));
    expect(examples.sort()).toEqual([
      'networkpolicy.example.yaml',
      'prometheusrule.example.yaml',
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
    expect(() => parseAppConfig({ ...configData, DATABASE_URL: 'postgres://app@db:5432/app' })).not.toThrow();
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
    const config = parseAppConfig({ ...configData, DATABASE_URL: 'postgres://app@db:5432/app' }).get(HTTP_SETTINGS);
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

  it('gives the durable history a writable volume at HEALTH_DATA_DIR, the folder the image keeps for it', () => {
    const dataDir = configData.HEALTH_DATA_DIR;
    expect(inStage(lastStage, 'VOLUME').map((i) => i.args)).toEqual([dataDir]);
    expect(posix.isAbsolute(dataDir)).toBe(true);
    // The root filesystem is read-only: the folder must be a volume of the pod, mounted writable.
    const mount = container().volumeMounts?.find((m) => m.mountPath === dataDir);
    expect(mount?.readOnly ?? false).toBe(false);
    const volume = podSpec.volumes?.find((v) => v.name === mount?.name);
    expect(volume?.emptyDir ?? volume?.persistentVolumeClaim).toBeDefined();
    // Bounded: 30 days of three checks are a few MB.
    if (volume?.emptyDir) expect(volume.emptyDir.sizeLimit).toMatch(/^\d+Mi$/);
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
