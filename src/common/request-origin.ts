/** A host name, IPv4 address or bracketed IPv6 address, with an optional port: nothing a link could be forged with. */
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::\\d{1,5})?$`);

/**
 * `scheme://host[:port]` as the client addressed this service, from the connection's scheme and the `Host` header
 * (what Fastify's `request.protocol` and `request.host` give without `trustProxy`). `X-Forwarded-*` is not
 * trusted: anyone who reaches the port directly can send it, and the service cannot tell its proxy from them; a
 * proxy in front keeps the client's `Host` by passing it through. Undefined when the host is missing or malformed,
 * so no link is built from it.
 */
export function requestOrigin(protocol: string, host: string | undefined): string | undefined {
  if (!host || !HOST.test(host) || (protocol !== 'http' && protocol !== 'https')) return undefined;
  return `${protocol}://${host.toLowerCase()}`;
}
