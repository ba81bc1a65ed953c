import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { requestPath } from './request-path';

/** The routes a probe seat serves: liveness and readiness, whose answers take milliseconds and touch nothing slow. */
export const PROBE_PATHS: readonly string[] = ['/api/v1/health/live', '/api/v1/health/ready'];

/** Whether `request` is a probe: `GET` or `HEAD` of liveness or readiness, query aside. */
export function isProbeRequest({ method, url = '' }: Pick<IncomingMessage, 'method' | 'url'>): boolean {
  return (method === 'GET' || method === 'HEAD') && PROBE_PATHS.includes(requestPath(url));
}

/**
 * The seats of one listener's connections. A connection is seated when it is accepted, before a byte of its request
 * is read, so the seat cannot depend on what it will ask: it takes a shared seat while one is free, else a probe seat
 * (the listener's cap, `server.maxConnections`, closes it when those are gone too). Every request on a probe seat is
 * then judged on its own, keep-alive and pipelining included: a probe is served there, anything else is refused with
 * 503 and the connection closed, so the seat is free again within one answer. Event streams, the status page and
 * diagnostics can therefore fill the shared seats only, and a prober always finds a seat unless sockets that never
 * send a request hold them all (those are cut by the headers timeout; see `connection-budget.ts`).
 */
export class ProbeSeats {
  private shared = 0;
  private readonly onProbeSeat = new WeakSet<Socket>();

  /** `sharedSeats`: the listener's connections minus its probe seats. */
  constructor(private readonly sharedSeats: number) {}

  /** Seats `socket` as it is accepted; a shared seat is given back when the socket closes. */
  seat(socket: Socket): void {
    if (this.shared < this.sharedSeats) {
      this.shared++;
      socket.once('close', () => this.shared--);
    } else {
      this.onProbeSeat.add(socket);
    }
  }

  /** Whether `request` may be served on its connection: any request on a shared seat, a probe on a probe seat. */
  admits(request: IncomingMessage): boolean {
    return !this.onProbeSeat.has(request.socket) || isProbeRequest(request);
  }
}

const REFUSAL = Buffer.from(
  JSON.stringify({
    statusCode: 503,
    error: 'Service Unavailable',
    message: 'every shared connection is in use; this one serves only liveness and readiness',
  }),
);

/**
 * Answers a request that {@link ProbeSeats.admits} turned away: 503, `Retry-After: 1`, and `Connection: close`,
 * which frees the probe seat as soon as the answer is written. Sent by the HTTP server itself, before Fastify: the
 * refusal must not wait for anything a route would.
 */
export function refuseOnProbeSeat(response: ServerResponse): void {
  response.writeHead(503, {
    'content-type': 'application/json',
    'content-length': REFUSAL.length,
    'cache-control': 'no-store',
    'retry-after': '1',
    connection: 'close',
  });
  response.end(REFUSAL);
}
