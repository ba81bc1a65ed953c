import type { FastifyInstance } from 'fastify';

/**
 * What every answer a browser renders carries: never framed (no clickjacking of Swagger UI's "Execute" or the status
 * page's token form), never sniffed into another type, and no `Referer` sent from it (a URL may hold an internal
 * host name).
 */
export const BROWSER_HEADERS = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The policy of an HTML answer whose route set none: nothing may load, run, submit or frame it. The pages the service
 * serves on purpose (the status page, Swagger UI) set their own.
 */
export const LOCKED_HTML_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Adds {@link BROWSER_HEADERS} to every `text/html` answer of `fastify`, and a `Content-Security-Policy`
 * ({@link LOCKED_HTML_CSP}) to one that has none, whatever route or error produced it: a page added later, or an
 * error page a plugin renders, is covered without remembering to. A header the route set is kept.
 */
export function secureHtmlAnswers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    // Callback style, not async: this runs on every answer and a promise per request is measurable there.
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && /^text\/html\b/i.test(type)) {
      for (const [name, value] of Object.entries(BROWSER_HEADERS)) {
        if (!reply.hasHeader(name)) reply.header(name, value);
      }
      if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', LOCKED_HTML_CSP);
    }
    done(null, payload);
  });
}
