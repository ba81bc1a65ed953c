import { hostPort, listedHosts, splitHostList, UrlRules, validateConnectionUrl } from '../config/connection-url';
import type { Setting } from '../config/settings';

/** PostgreSQL's port when a URL names none, as libpq has it. */
export const DEFAULT_POSTGRES_PORT = 5432;

/** The schemes and query parameters a PostgreSQL URL of the service may use. */
export const POSTGRES_URL_RULES: UrlRules = {
  protocols: ['postgres:', 'postgresql:'],
  // TLS settings are the operator's to choose; everything else (timeouts, application_name, options, host)
  // would override how the service drives its connections, so it is refused.
  allowedQuery: ['sslmode', 'sslrootcert', 'sslcert', 'sslkey'],
};

/** One PostgreSQL server named by a connection URL. */
export interface PostgresEndpoint {
  /** The host, IPv6 addresses without brackets. */
  readonly host: string;
  readonly port: number;
  /** `host:port`, an IPv6 address in brackets: how reports and messages name the server (never with credentials). */
  readonly address: string;
  /** The URL with this server alone in place of the host list: pg and TypeORM take one host. */
  readonly url: string;
}

/**
 * The servers of a PostgreSQL URL that may name several hosts as libpq does (`postgres://u:p@h1:5432,h2:5433/db`,
 * a host without a port on 5432, IPv6 in brackets), in the order given. Throws a `ConfigError` that names `name`
 * and, for a bad host, its position and never the rest of the value: an empty host, a port that is not a number from
 * 1 to 65535, a malformed bracket; each host's URL then passes {@link validateConnectionUrl} under `rules`.
 */
export function postgresEndpoints(name: string, raw: string, rules: UrlRules = POSTGRES_URL_RULES): PostgresEndpoint[] {
  const split = splitHostList(raw);
  // Not shaped like a URL: the validator's own message says more.
  if (!split) return [endpointOf(validateConnectionUrl(name, raw, rules))];
  const { head, list, tail } = split;
  // Everything but the hosts first: a raw `/` or `#` in a password would otherwise put a piece of it in a "host".
  validateConnectionUrl(name, `${head}localhost${tail}`, rules);
  const example = `${head.split('//')[0]}//...@h1:5432,h2:5432/...`;
  return listedHosts(name, list, DEFAULT_POSTGRES_PORT, example).map((server) => {
    const address = hostPort(server);
    return { ...server, address, url: validateConnectionUrl(name, `${head}${address}${tail}`, rules) };
  });
}

/**
 * A PostgreSQL URL variable that may name several hosts (see {@link postgresEndpoints}); its value is never echoed,
 * since it may hold a password. Parses to the raw URL; {@link postgresEndpoints} then gives its servers.
 */
export function postgresUrl(
  name: string,
  { default: fallback, description }: { default: string; description: string },
): Setting<string> {
  return {
    name,
    defaultText: fallback,
    description,
    parse: (raw = fallback) => {
      postgresEndpoints(name, raw);
      return raw;
    },
  };
}

function endpointOf(url: string): PostgresEndpoint {
  const parsed = new URL(url);
  const server = { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || DEFAULT_POSTGRES_PORT) };
  return { ...server, address: hostPort(server), url };
}
