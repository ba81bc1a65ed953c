import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ProbeSeats, refuseOnProbeSeat } from './probe-seats';

/**
 * How long a socket may take at each stage before the server closes it. A slowloris that trickles its headers is cut
 * by `headersTimeout` (Node checks every `connectionsCheckingInterval`), a socket that never sends a byte by the same
 * check, an idle keep-alive socket by `keepAliveTimeout`: each within 10 s. The inactivity timeout is longer so a
 * server-sent events stream with a 15 s heartbeat survives it.
 *
 * The check runs every 5 ms, not Node's default 30 s: besides cutting late, a rare check finds every socket of a
 * flood expired at once and closes thousands in one go, which blocks the event loop for as long (liveness goes
 * unanswered meanwhile). Checked often, each pass closes only the few that expired since the last one, so a flood
 * accepted in one burst is closed in small batches; the pass itself walks a list in C++ (microseconds for the 4096
 * sockets the listener may hold). The flood test (`connection-budget.alone.e2e-spec.ts`) holds liveness to it, and
 * docs/performance.md has the figures.
 */
export const HTTP_TIMEOUTS = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  checkIntervalMs: 5,
} as const;

/** What one listener may hold open at once. */
export interface ListenerBudget {
  /** Connections it holds at once; one more is closed as soon as it is accepted. */
  readonly connections: number;
  /** Of those, the ones only liveness and readiness may use (see `probe-seats.ts`); the rest are shared. */
  readonly probeSeats: number;
}

/** What each listener may hold open at once, and the file limit that was split between them. */
export interface ConnectionBudget {
  /** The main listener: traffic of every kind. */
  readonly main: ListenerBudget;
  /** The management listener: probes, scrapes, event streams and a few people. */
  readonly management: ListenerBudget;
  /** The soft open-file limit the budget was derived from. */
  readonly fileLimit: number;
}

/** Connections kept for the management listener. */
const MANAGEMENT_CONNECTIONS = 256;
/** More sockets than this cost memory without serving anyone better, whatever the file limit allows. */
const MAX_MAIN_CONNECTIONS = 4_096;
/** Assumed when the limit cannot be read (not Linux): the usual default soft limit. */
const FALLBACK_FILE_LIMIT = 1024;
/**
 * Probe seats per listener: an eighth of its connections, from 4 to 32. A probe holds its seat for the milliseconds
 * of one answer (a kubelet opens a connection per probe and closes it), so a few dozen serve every prober of a node;
 * more would only take seats from the status page and the event streams.
 */
const MIN_PROBE_SEATS = 4;
const MAX_PROBE_SEATS = 32;

/** A listener of `connections`, with its probe seats. */
function listenerBudget(connections: number): ListenerBudget {
  const probeSeats = Math.min(MAX_PROBE_SEATS, Math.max(MIN_PROBE_SEATS, Math.floor(connections / 8)));
  return { connections, probeSeats };
}

/**
 * Splits the process's soft file limit between the listeners, keeping a reserve for everything else that opens
 * files (the PostgreSQL pool, Redis, plugin manifests, `PATH` lookups, logs): at least 256 or a tenth of the limit.
 * Listeners at their cap close new sockets at once, so the process itself never runs out of descriptors (EMFILE).
 */
export function connectionBudget(fileLimit = readSoftFileLimit()): ConnectionBudget {
  const limit = fileLimit ?? FALLBACK_FILE_LIMIT;
  const reserve = Math.max(256, Math.ceil(limit / 10));
  const management = Math.min(MANAGEMENT_CONNECTIONS, Math.max(16, Math.floor((limit - reserve) / 4)));
  const main = Math.min(MAX_MAIN_CONNECTIONS, Math.max(16, limit - reserve - management));
  return { main: listenerBudget(main), management: listenerBudget(management), fileLimit: limit };
}

/** The soft `RLIMIT_NOFILE` of this process from `/proc/self/limits`; `undefined` where there is none. */
export function readSoftFileLimit(limits = '/proc/self/limits'): number | undefined {
  let text: string;
  try {
    text = readFileSync(limits, 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === undefined) return undefined;
  // "unlimited" cannot be set for open files on Linux, but read it as "no limit worth deriving from".
  return soft === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(soft);
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * An HTTP server for `handler` with the timeouts of {@link HTTP_TIMEOUTS}, at most `budget.connections` sockets, and
 * `budget.probeSeats` of them kept for liveness and readiness ({@link ProbeSeats}).
 */
export function createBudgetedServer(handler: Handler, budget: ListenerBudget): Server {
  const seats = new ProbeSeats(budget.connections - budget.probeSeats);
  const server = createServer(
    {
      headersTimeout: HTTP_TIMEOUTS.headersTimeoutMs,
      requestTimeout: HTTP_TIMEOUTS.requestTimeoutMs,
      keepAliveTimeout: HTTP_TIMEOUTS.keepAliveTimeoutMs,
      connectionsCheckingInterval: HTTP_TIMEOUTS.checkIntervalMs,
    },
    (request, response) => (seats.admits(request) ? handler(request, response) : refuseOnProbeSeat(response)),
  );
  server.on('connection', (socket: Socket) => seats.seat(socket));
  server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveTimeoutMs;
  server.maxConnections = budget.connections;
  server.setTimeout(HTTP_TIMEOUTS.idleTimeoutMs);
  return server;
}
