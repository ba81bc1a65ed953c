import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { type AllowedHosts, isAllowedHost } from './allowed-hosts';

/**
 * The body of a refused host: the status alone. It names neither the host nor what is allowed, so a page probing
 * from a rebound name learns nothing but that it was refused.
 */
export const MISDIRECTED_BODY = { message: 'Misdirected Request', statusCode: 421 } as const;

/**
 * Answers 421 Misdirected Request, before any routing, guard or route work, to a request for a host that is not
 * allowed (see {@link isAllowedHost}). Registered on the Fastify instance both listeners share, so it covers every
 * route of the main and the management port, unknown paths included.
 */
export function refuseUnknownHosts(fastify: FastifyInstance, allowed: AllowedHosts): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    // Callback style: this runs on every request of both listeners.
    if (isAllowedHost(targetHost(request.raw), allowed)) {
      done();
      return;
    }
    void reply.code(421).send(MISDIRECTED_BODY);
  });
}

/**
 * The host a request is for: the `Host` header, or the authority of an absolute-form target
 * (`GET http://host/path`), which RFC 9112 §3.2.2 says an origin server uses instead of `Host`. Browsers send that
 * form only to proxies, but a check that looked at `Host` alone would answer a request for any other host.
 */
function targetHost(raw: IncomingMessage): string | undefined {
  const target = raw.url ?? '/';
  if (target.startsWith('/')) return raw.headers.host;
  return URL.parse(target)?.host || raw.headers.host;
}
