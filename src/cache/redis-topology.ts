import type { CheckField } from '../health';
import { hostPort } from '../config/connection-url';

/** What one sentinel said about the master: its address (`null`: it monitors no master of that name) and replicas. */
export interface SentinelAnswer {
  readonly master: string | null;
  /** Replicas the sentinel sees up: not flagged `s_down`, `o_down` or `disconnected`. */
  readonly replicas: number;
}

/** The sentinel fields of the cache check. */
export interface SentinelView {
  readonly mode: 'sentinel';
  /** The address most answering sentinels give (the first one's on a tie); absent when none names one. */
  readonly master?: string;
  readonly sentinels: number;
  readonly sentinels_reachable: number;
  /** The up replicas, as the first sentinel naming that master sees them; absent with the master. */
  readonly replicas?: number;
}

/**
 * The view of the sentinels, asked in the URL's order: each one's answer, or `undefined` when it did not answer in
 * time. Sentinels may disagree for a moment during a failover; the master most of them name wins.
 */
export function sentinelView(answers: readonly (SentinelAnswer | undefined)[]): SentinelView {
  const answered = answers.filter((answer): answer is SentinelAnswer => answer !== undefined);
  const votes = new Map<string, number>();
  for (const { master } of answered) if (master !== null) votes.set(master, (votes.get(master) ?? 0) + 1);
  // Map keeps insertion order, so on a tie the sentinel listed first wins.
  const master = [...votes].reduce<[string, number] | undefined>(
    (best, vote) => (best && best[1] >= vote[1] ? best : vote),
    undefined,
  )?.[0];
  const replicas = answered.find((answer) => answer.master === master)?.replicas;
  return {
    mode: 'sentinel',
    ...(master === undefined ? {} : { master }),
    sentinels: answers.length,
    sentinels_reachable: answered.length,
    ...(replicas === undefined ? {} : { replicas }),
  };
}

/** `SENTINEL get-master-addr-by-name` → `host:port`, or `null` for a name the sentinel does not monitor. */
export function readMasterAddress(reply: unknown): string | null {
  if (reply === null) return null;
  if (Array.isArray(reply) && reply.length === 2 && reply.every((part) => typeof part === 'string')) {
    const [host, port] = reply as [string, string];
    if (/^\d{1,5}$/.test(port) && /^[\w.:-]{1,255}$/.test(host)) return hostPort({ host, port: Number(port) });
  }
  throw new Error('a sentinel answered get-master-addr-by-name with something else than an address');
}

/** `SENTINEL replicas <name>` → how many replicas are up (flags without `s_down`, `o_down`, `disconnected`). */
export function countUpReplicas(reply: unknown): number {
  if (!Array.isArray(reply)) throw new Error('a sentinel answered SENTINEL replicas with something else than a list');
  return reply.filter((replica) => {
    if (!Array.isArray(replica)) return false;
    // A flat list of names and values: `name`, `127.0.0.1:6380`, `flags`, `slave`, ...
    const fields = replica as unknown[];
    const at = fields.findIndex((field, i) => i % 2 === 0 && field === 'flags');
    const flags = at < 0 ? undefined : fields[at + 1];
    return typeof flags === 'string' && !/\b(s_down|o_down|disconnected)\b/.test(flags);
  }).length;
}

/** The cluster fields of the cache check, from `CLUSTER INFO`. */
export interface ClusterView {
  readonly mode: 'cluster';
  /** `ok`, or `fail` when the cluster cannot serve some slots (or its node lost the majority). */
  readonly cluster_state: string;
  readonly slots_assigned: number;
  readonly slots_ok: number;
  readonly slots_pfail: number;
  readonly slots_fail: number;
  /** `cluster_known_nodes`: masters and replicas, as the node sees them. */
  readonly nodes: number;
}

/** `CLUSTER INFO` → the cluster fields; throws when the reply is not one. */
export function readClusterInfo(reply: unknown): ClusterView {
  const text = Buffer.isBuffer(reply) ? reply.toString('latin1') : reply;
  if (typeof text !== 'string') throw new Error('a node answered CLUSTER INFO with something else than text');
  const values = new Map(
    text
      .split(/\r?\n/)
      .map((line) => line.split(':', 2) as [string, string | undefined])
      .filter((pair): pair is [string, string] => pair[1] !== undefined),
  );
  const state = values.get('cluster_state');
  const count = (key: string): number => {
    const value = values.get(key);
    if (value === undefined || !/^\d{1,6}$/.test(value)) throw new Error(`a node's CLUSTER INFO has no ${key}`);
    return Number(value);
  };
  if (!state || !/^[a-z]{1,16}$/.test(state)) throw new Error("a node's CLUSTER INFO has no cluster_state");
  return {
    mode: 'cluster',
    cluster_state: state,
    slots_assigned: count('cluster_slots_assigned'),
    slots_ok: count('cluster_slots_ok'),
    slots_pfail: count('cluster_slots_pfail'),
    slots_fail: count('cluster_slots_fail'),
    nodes: count('cluster_known_nodes'),
  };
}

/** The cluster fields of the cache check: one node's `CLUSTER INFO`, and how many nodes answered. */
export interface ClusterReport extends ClusterView {
  /** Nodes the client is connected to (those serving slots) that answered `CLUSTER INFO` in time. */
  readonly nodes_reachable: number;
}

/**
 * The cluster as the nodes that answered see it: the first view that is not `ok` when there is one (a node that
 * cannot serve its slots is what a client meets), else the first. `undefined` when no node answered.
 */
export function clusterView(views: readonly ClusterView[]): ClusterReport | undefined {
  const view = views.find(({ cluster_state }) => cluster_state !== 'ok') ?? views[0];
  return view && { ...view, nodes_reachable: views.length };
}

/** The slots a Redis Cluster has. */
export const CLUSTER_SLOTS = 16384;

/** What a failed cluster check says: the state and why slots cannot be served. */
export function clusterFailure(view: ClusterView): string {
  const reasons = [
    [view.slots_fail, 'failing'],
    [view.slots_pfail, 'suspected (PFAIL)'],
    [CLUSTER_SLOTS - view.slots_assigned, 'unassigned'],
  ]
    .filter(([count]) => Number(count) > 0)
    .map(([count, what]) => `${count} ${what}`);
  const why = reasons.length ? ` (${reasons.join(', ')})` : '';
  return `cluster_state is ${view.cluster_state}: ${view.slots_ok} of ${CLUSTER_SLOTS} slots ok${why}`;
}

const MODE: CheckField = {
  description: 'How the service reaches Redis: `sentinel` or `cluster` (absent for one server)',
  type: 'string',
  example: 'sentinel',
};

/** The fields the cache check declares when it asks sentinels. */
export const SENTINEL_FIELDS: Readonly<Record<keyof SentinelView, CheckField>> = {
  mode: MODE,
  master: {
    description: 'The master’s `host:port`, as most answering sentinels name it (absent when none does)',
    type: 'string',
    example: '10.0.0.5:6379',
  },
  sentinels: { description: 'Sentinels named in REDIS_URL', example: 3, unit: '{sentinel}', always: true },
  sentinels_reachable: {
    description: 'Sentinels that answered within four fifths of the check’s timeout',
    example: 3,
    unit: '{sentinel}',
    always: true,
  },
  replicas: {
    description: 'Replicas of the master that its sentinels see up (not down or disconnected)',
    example: 1,
    unit: '{replica}',
  },
};

/** The fields the cache check declares for a Redis Cluster. */
export const CLUSTER_FIELDS: Readonly<Record<keyof ClusterReport, CheckField>> = {
  mode: { ...MODE, example: 'cluster' },
  cluster_state: {
    description: '`CLUSTER INFO` cluster_state: `ok`, or `fail` (the check is then an error)',
    type: 'string',
    example: 'ok',
  },
  slots_assigned: { description: 'Slots assigned to a node (of 16384)', example: 16384, unit: '{slot}' },
  slots_ok: { description: 'Slots served by a node not flagged failing', example: 16384, unit: '{slot}' },
  slots_pfail: { description: 'Slots whose node one node suspects (PFAIL)', example: 0, unit: '{slot}' },
  slots_fail: { description: 'Slots whose node the cluster agreed has failed (FAIL)', example: 0, unit: '{slot}' },
  nodes: { description: 'Nodes the cluster knows (masters and replicas)', example: 6, unit: '{node}' },
  nodes_reachable: {
    description: 'Nodes serving slots (masters and replicas) that answered within four fifths of the check’s timeout',
    example: 6,
    unit: '{node}',
  },
};
