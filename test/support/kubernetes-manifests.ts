import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readRepoFile, ROOT } from './repository';

/**
 * The manifests of deploy/kubernetes/, read as `kubectl apply -k` would apply them (for the parts the tests look
 * at), and the pod they run: its container, its labels, its ports and its drain timings.
 */

export interface Probe {
  httpGet?: { path?: string; port?: string | number };
  periodSeconds?: number;
  failureThreshold?: number;
  timeoutSeconds?: number;
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name?: string; key?: string }; configMapKeyRef?: { name?: string; key?: string } };
}
export interface Container {
  name?: string;
  image?: string;
  ports?: Array<{ name?: string; containerPort?: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name?: string }; secretRef?: { name?: string } }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { sleep?: { seconds?: number }; exec?: { command?: string[] } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; readOnlyRootFilesystem?: boolean };
  volumeMounts?: Array<{ name?: string; mountPath?: string; readOnly?: boolean }>;
}
export interface Volume {
  name?: string;
  emptyDir?: { sizeLimit?: string };
  persistentVolumeClaim?: { claimName?: string };
}
export interface SpreadConstraint {
  topologyKey?: string;
  maxSkew?: number;
  whenUnsatisfiable?: string;
  labelSelector?: { matchLabels?: Record<string, string> };
  matchLabelKeys?: string[];
}
export interface NetworkPolicyRule {
  from?: Array<{ namespaceSelector?: { matchLabels?: Record<string, string> }; podSelector?: object }>;
  ports?: Array<{ port?: string | number; protocol?: string }>;
}
export interface Manifest {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    type?: string;
    publishNotReadyAddresses?: boolean;
    ports?: Array<{ name?: string; port?: number; targetPort?: string | number }>;
    replicas?: number;
    maxUnavailable?: number | string;
    minAvailable?: number | string;
    unhealthyPodEvictionPolicy?: string;
    endpoints?: Array<{ port?: string; path?: string; targetPort?: string | number }>;
    podSelector?: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    ingress?: NetworkPolicyRule[];
    template?: {
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
      spec?: {
        terminationGracePeriodSeconds?: number;
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        topologySpreadConstraints?: SpreadConstraint[];
        containers?: Container[];
        volumes?: Volume[];
      };
    };
  };
}

/** The folder of the manifests. */
export const K8S = join(ROOT, 'deploy', 'kubernetes');

/** The YAML files of the folder (the kustomization and the *.example.yaml files included). */
export const manifestFiles = readdirSync(K8S).filter((f) => /\.ya?ml$/.test(f));

/** The documents of each file, by file name; a YAML error fails at once, naming the file. */
export const manifests = new Map<string, Manifest[]>(
  manifestFiles.map((file) => [
    file,
    parseAllDocuments(readRepoFile('deploy', 'kubernetes', file)).map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
      return doc.toJS() as Manifest;
    }),
  ]),
);

/** What `kubectl apply -k` applies: the kustomization's resources (the *.example.yaml files are applied by hand). */
export const kustomization = parse(readRepoFile('deploy', 'kubernetes', 'kustomization.yaml')) as {
  resources?: string[];
};
export const applied = (): Manifest[] => (kustomization.resources ?? []).flatMap((file) => manifests.get(file) ?? []);

/** The one applied manifest of `kind`; throws when there is none or more than one. */
export function manifestOfKind(kind: string): Manifest {
  const found = applied().filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind} in the kustomization, found ${found.length}`);
  return found[0];
}

/** The applied Service `name`; throws when there is none. */
export function serviceNamed(name: string): Manifest {
  const found = applied().find((m) => m.kind === 'Service' && m.metadata?.name === name);
  if (!found) throw new Error(`the kustomization has no Service "${name}"`);
  return found;
}

/** Whether `selector` (matchLabels, or a Service's plain map) selects an object labelled `labels`. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const wanted = Object.entries(selector ?? {});
  return wanted.length > 0 && wanted.every(([key, value]) => labels?.[key] === value);
}

export const configMap = manifestOfKind('ConfigMap');
/** The ConfigMap's variables, as the pod's environment gets them. */
export const configData = configMap.data ?? {};
export const deployment = manifestOfKind('Deployment');
export const podSpec = deployment.spec?.template?.spec ?? {};
/** The pod's one container (a test fails when there is not exactly one). */
export const container = (): Container => {
  const containers = podSpec.containers ?? [];
  expect(containers).toHaveLength(1);
  return containers[0];
};
export const podLabels = deployment.spec?.template?.metadata?.labels ?? {};
export const podAnnotations = deployment.spec?.template?.metadata?.annotations ?? {};
/** How long the app keeps serving after SIGTERM, as the ConfigMap sets it (or the app's default). */
export const shutdownDelayMs = Number(configData.HEALTH_SHUTDOWN_DELAY_MS ?? 5000);

/** Seconds of a preStop sleep (the sleep action, or `sleep N` run by exec), 0 without a preStop hook. */
export function preStopSleepSeconds(c: Container): number {
  const preStop = c.lifecycle?.preStop;
  if (!preStop) return 0;
  if (preStop.sleep?.seconds !== undefined) return preStop.sleep.seconds;
  const command = (preStop.exec?.command ?? []).join(' ');
  const sleep = /(?:^|\s|;)sleep\s+(\d+)\s*$/.exec(command);
  if (!sleep) throw new Error(`cannot tell how long the preStop hook waits: ${command}`);
  return Number(sleep[1]);
}

/** The container port a probe, Service or annotation refers to, by name or number. */
export function containerPort(c: Container, port: string | number | undefined): number | undefined {
  return typeof port === 'number' ? port : c.ports?.find((p) => p.name === port)?.containerPort;
}

export const probeKinds = ['startupProbe', 'livenessProbe', 'readinessProbe'] as const;

/** The ConfigMap's ports: traffic (`http`) and the management listener (`management`). */
export const MAIN_PORT = Number(configData.PORT ?? 3000);
export const MANAGEMENT_PORT = Number(configData.MANAGEMENT_PORT);
