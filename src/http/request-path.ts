/** The scheme and authority of an absolute-form target, as Fastify's router (find-my-way) matches them. */
const ABSOLUTE_FORM = /^https?:\/\/.*?\//;

/**
 * The path a request target routes to, read as Fastify's router reads it, so every check made before routing (which
 * listener serves it, whether it may take a probe seat) judges the route that will answer: an absolute-form target
 * (`GET http://host/api/v1/health/live HTTP/1.1`, what a client configured for a proxy sends) is its path, and the
 * query or fragment is cut off. Percent-escapes are left as sent: the router decodes them, so an escaped path can only
 * fail a comparison with a plain one here, never pass it for another route.
 */
export function requestPath(url: string): string {
  const path = url.startsWith('/') ? url : url.replace(ABSOLUTE_FORM, '/');
  return path.split(/[?#]/, 1)[0];
}
