import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';

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

/** What a listener may hold open at once. */
export interface ConnectionBudget {
  /** Connections of the main listener; one more is closed as soon as it is accepted. */
  readonly main: number;
  /** Connections of the management listener: probes, scrapes and a few people. */
  readonly management: number;
}

/** Connections kept for the management listener. */
const MANAGEMENT_CONNECTIONS = 256;
/** More sockets than this cost memory without serving anyone better, whatever the file limit allows. */
const MAX_MAIN_CONNECTIONS = 4_096;
/** Assumed when the limit cannot be read (not Linux): the usual default soft limit. */
const FALLBACK_FILE_LIMIT = 1024;

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
  return { main, management };
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

/** An HTTP server for `handler` with the timeouts of {@link HTTP_TIMEOUTS} and at most `maxConnections` sockets. */
export function createBudgetedServer(handler: Handler, maxConnections: number): Server {
  const server = createServer(
    {
      headersTimeout: HTTP_TIMEOUTS.headersTimeoutMs,
      requestTimeout: HTTP_TIMEOUTS.requestTimeoutMs,
      keepAliveTimeout: HTTP_TIMEOUTS.keepAliveTimeoutMs,
      connectionsCheckingInterval: HTTP_TIMEOUTS.checkIntervalMs,
    },
    handler,
  );
  server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveTimeoutMs;
  server.maxConnections = maxConnections;
  server.setTimeout(HTTP_TIMEOUTS.idleTimeoutMs);
  return server;
}
