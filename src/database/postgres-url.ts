import { UrlRules, validateConnectionUrl } from '../config/connection-url';
import { ConfigError, Setting } from '../config/settings';

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

/** A URL cut around its host list: `<scheme>//<userinfo@>` + `h1:p1,h2` + `</path?query>`. */
interface HostListUrl {
  readonly head: string;
  readonly hosts: readonly string[];
  readonly tail: string;
}

/** `[v6]` or `[v6]:port`. */
const BRACKETED = /^(\[[^\]]*\])(?::(.*))?$/;
/** `name` or `name:port`, the name without brackets or colons. */
const PLAIN = /^([^:[\]]*)(?::([^:]*))?$/;

/**
 * The servers of a PostgreSQL URL that may name several hosts as libpq does (`postgres://u:p@h1:5432,h2:5433/db`,
 * a host without a port on 5432, IPv6 in brackets), in the order given. Throws a {@link ConfigError} that names `name`
 * and, for a bad host, its position and never the rest of the value: an empty host, a port that is not a number from
 * 1 to 65535, a malformed bracket; each host's URL then passes {@link validateConnectionUrl} under `rules`.
 */
export function postgresEndpoints(name: string, raw: string, rules: UrlRules = POSTGRES_URL_RULES): PostgresEndpoint[] {
  const split = splitHostList(raw);
  // Not shaped like a URL: the validator's own message says more.
  if (!split) return [endpointOf(validateConnectionUrl(name, raw, rules))];
  const { head, hosts, tail } = split;
  // Everything but the hosts first: a raw `/` or `#` in a password would otherwise put a piece of it in a "host".
  validateConnectionUrl(name, `${head}localhost${tail}`, rules);
  const where = (index: number): string => (hosts.length > 1 ? ` (host ${index + 1} of ${hosts.length})` : '');
  return hosts.map((item, index) => {
    const match = BRACKETED.exec(item) ?? PLAIN.exec(item);
    if (!match) {
      throw new ConfigError(
        `${name} has a malformed host${where(index)}: write an IPv6 address in brackets, e.g. [::1]:5432`,
      );
    }
    const [, host, port = ''] = match;
    if (host === '' || host === '[]') {
      const example = hosts.length > 1 ? 'h1:5432,h2:5432' : 'host:5432';
      throw new ConfigError(
        `${name} has an empty host${where(index)} (expected ${head.split('//')[0]}//...@${example}/...)`,
      );
    }
    if (port !== '' && !validPort(port)) {
      throw new ConfigError(
        `${name} has a port out of range${where(index)}: "${port.replace(/[^\x21-\x7e]/g, '?').slice(0, 8)}" ` +
          '(expected a number from 1 to 65535)',
      );
    }
    return endpointOf(validateConnectionUrl(name, `${head}${host}:${port || DEFAULT_POSTGRES_PORT}${tail}`, rules));
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

/** `host:port`, with brackets around an IPv6 address. */
export function addressOf(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function endpointOf(url: string): PostgresEndpoint {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || DEFAULT_POSTGRES_PORT);
  if (!validPort(String(port))) throw new ConfigError('unreachable: a validated URL has a valid port');
  return { host, port, address: addressOf(host, port), url };
}

function validPort(port: string): boolean {
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535;
}

/**
 * Cuts `raw` around its host list: after `scheme://` and the credentials (up to the last `@` before the first `/` or
 * `?`), up to that `/` or `?`. `undefined` when it has no `://`.
 */
function splitHostList(raw: string): HostListUrl | undefined {
  const start = raw.indexOf('://');
  if (start < 0) return undefined;
  const rest = raw.slice(start + 3);
  const end = rest.search(/[/?]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  return {
    head: raw.slice(0, start + 3) + authority.slice(0, at + 1),
    hosts: authority.slice(at + 1).split(','),
    tail: end < 0 ? '' : rest.slice(end),
  };
}
