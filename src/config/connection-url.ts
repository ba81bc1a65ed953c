import { isIPv6 } from 'node:net';
import { ConfigError, Setting } from './settings';

/** What a connection-URL variable accepts beyond scheme and host. */
export interface UrlRules {
  /** Accepted schemes, e.g. `['redis:', 'rediss:']`; the first is the one named in messages. */
  readonly protocols: readonly string[];
  /** Query parameters passed through to the driver; any other one is refused. */
  readonly allowedQuery: readonly string[];
  /** Checks the path (the database part); returns a message fragment when it is unusable. */
  readonly path?: (path: string) => string | undefined;
}

/**
 * Validates a connection URL for `name`. Messages name the variable and never echo the value, which may hold a
 * password. Beyond the URL parser: reserved characters written raw in the user name or password are refused (see
 * {@link unescapedUserinfo}), the user and password must be valid percent-encoding (the drivers decode them and
 * throw a bare `URIError` otherwise), and query parameters outside the allow-list are refused, since the drivers
 * read them as client options that would override the service's own (timeouts, retries, the offline queue).
 */
export function validateConnectionUrl(name: string, raw: string, rules: UrlRules): string {
  const example = `${rules.protocols[0]}//host:port/...`;
  const unescaped = unescapedUserinfo(raw);
  if (unescaped) throw new ConfigError(`${name} ${unescaped}`);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL (expected ${example})`);
  }
  if (!rules.protocols.includes(parsed.protocol)) {
    throw new ConfigError(
      `${name} must start with ${rules.protocols.map((p) => `${p}//`).join(' or ')} (got ${parsed.protocol}//...)`,
    );
  }
  if (!parsed.hostname) throw new ConfigError(`${name} has no host (expected ${example})`);
  for (const [part, value] of [
    ['user name', parsed.username],
    ['password', parsed.password],
  ] as const) {
    if (!decodes(value)) {
      throw new ConfigError(`${name} has a malformed ${part}: a "%" must start a %XX escape (write "%" as %25)`);
    }
  }
  const refused = [...new Set(parsed.searchParams.keys())].filter((key) => !rules.allowedQuery.includes(key));
  if (refused.length > 0) {
    const allowed = rules.allowedQuery.length ? `only ${rules.allowedQuery.join(', ')} are allowed` : 'none allowed';
    throw new ConfigError(`${name} has unsupported query parameters: ${printableKeys(refused)} (${allowed})`);
  }
  const pathProblem = rules.path?.(parsed.pathname);
  if (pathProblem) throw new ConfigError(`${name} ${pathProblem}`);
  return raw;
}

/**
 * A connection-URL variable: validated by {@link validateConnectionUrl}; its value is never echoed, since it may
 * hold a password.
 */
export function connectionUrl(
  name: string,
  { default: fallback, description, rules }: { default: string; description: string; rules: UrlRules },
): Setting<string> {
  return {
    name,
    defaultText: fallback,
    description,
    parse: (raw = fallback) => validateConnectionUrl(name, raw, rules),
  };
}

/** One host of a {@link HostListUrl}: a name or an IP address (IPv6 without its brackets), and a port. */
export interface ListedHost {
  readonly host: string;
  readonly port: number;
}

/** A URL naming several hosts, parsed by {@link parseHostListUrl}. */
export interface HostListUrl {
  /** The scheme with its colon, lower-case, e.g. `redis+sentinel:`. */
  readonly protocol: string;
  /** The user name, decoded; empty when none. */
  readonly username: string;
  /** The password, decoded; empty when none. */
  readonly password: string;
  /** The hosts in the order written; at least one. */
  readonly hosts: readonly ListedHost[];
  /** Everything from the `/` after the hosts on, as written (`/mymaster/0`), or empty. */
  readonly path: string;
}

/**
 * Parses `scheme://[user[:password]@]h1[:port],h2[:port][/path]`, the form that names several servers (libpq's, and
 * the Redis Sentinel and Cluster URLs), which the WHATWG URL parser refuses for its comma-separated ports. Refuses
 * what {@link validateConnectionUrl} refuses (raw reserved characters in the credentials, malformed escapes, any
 * query parameter: none is allowed here), an empty host list or an empty item in it, a host that is neither a name
 * nor an IP address, and a port that is not a number from 1 to 65535. Messages name the variable and the host by
 * its position, never echoing the value.
 */
export function parseHostListUrl(
  name: string,
  raw: string,
  /** The accepted schemes (with their colon), each with the port of a host that names none. */
  defaultPorts: Readonly<Record<string, number>>,
): HostListUrl {
  const protocols = Object.keys(defaultPorts);
  const example = `${protocols[0]}//host:port,host:port/...`;
  const unescaped = unescapedUserinfo(raw);
  if (unescaped) throw new ConfigError(`${name} ${unescaped}`);
  const match = /^([a-z][a-z0-9+.-]*:)\/\/([^/?]*)([^?]*)(?:\?(.*))?$/i.exec(raw);
  if (!match) throw new ConfigError(`${name} is not a valid URL (expected ${example})`);
  const [, scheme, authority, path, query] = match;
  const protocol = scheme.toLowerCase();
  if (!protocols.includes(protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  if (query !== undefined) {
    const keys = [...new Set(new URLSearchParams(query).keys())];
    throw new ConfigError(`${name} has unsupported query parameters: ${printableKeys(keys)} (none allowed)`);
  }
  const at = authority.lastIndexOf('@');
  const userinfo = at < 0 ? '' : authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  const [username, password] = colon < 0 ? [userinfo, ''] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
  for (const [part, value] of [
    ['user name', username],
    ['password', password],
  ] as const) {
    if (!decodes(value)) {
      throw new ConfigError(`${name} has a malformed ${part}: a "%" must start a %XX escape (write "%" as %25)`);
    }
  }
  const hosts = listedHosts(name, authority.slice(at + 1), defaultPorts[protocol], example);
  return {
    protocol,
    username: decodeURIComponent(username),
    password: decodeURIComponent(password),
    hosts,
    path,
  };
}

/**
 * The servers of a comma-separated host list (`h1:5432,h2,[::1]:5433`), in the order written, each by
 * {@link listedHost}; a host without a port takes `defaultPort`. An empty list has no host (`example` says what to
 * write). Messages name a host by its place ("host 2 of 3"), never echoing the value.
 */
export function listedHosts(name: string, list: string, defaultPort: number, example: string): ListedHost[] {
  if (!list) throw new ConfigError(`${name} has no host (expected ${example})`);
  const items = list.split(',');
  return items.map((item, i) =>
    listedHost(name, item, items.length > 1 ? `host ${i + 1} of ${items.length}` : 'host', defaultPort),
  );
}

/** `host:port`, an IPv6 address in brackets: how reports and messages name a server (never with credentials). */
export function hostPort({ host, port }: ListedHost): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * A URL cut around its host list: after `scheme://` and the credentials (up to the last `@` before the first `/` or
 * `?`), up to that `/` or `?`. `undefined` when it has no `://`.
 */
export function splitHostList(raw: string): { head: string; list: string; tail: string } | undefined {
  const start = raw.indexOf('://');
  if (start < 0) return undefined;
  const rest = raw.slice(start + 3);
  const end = rest.search(/[/?]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  return {
    head: raw.slice(0, start + 3) + authority.slice(0, at + 1),
    list: authority.slice(at + 1),
    tail: end < 0 ? '' : rest.slice(end),
  };
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`; `which` names it in messages ("host 2 of 3"). */
function listedHost(name: string, item: string, which: string, defaultPort: number): ListedHost {
  if (!item) throw new ConfigError(`${name} has an empty ${which}: separate hosts with single commas`);
  if (!item.startsWith('[') && item.indexOf(':') !== item.lastIndexOf(':')) {
    throw new ConfigError(`${name} ${which} is not a host name: write an IPv6 address in brackets, e.g. [::1]`);
  }
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(item);
  const colon = item.lastIndexOf(':');
  const [host, port] = bracketed
    ? [bracketed[1], bracketed[2]]
    : colon < 0
      ? [item, undefined]
      : [item.slice(0, colon), item.slice(colon + 1)];
  const valid = bracketed ? isIPv6(host) : /^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/i.test(host);
  if (!valid) throw new ConfigError(`${name} ${which} is not a host name or an IP address`);
  if (port === undefined) return { host, port: defaultPort };
  const number = /^\d{1,5}$/.test(port) ? Number(port) : 0;
  if (number < 1 || number > 65_535) {
    throw new ConfigError(`${name} ${which} has a port that is not a number from 1 to 65535`);
  }
  return { host, port: number };
}

/**
 * Checks the raw string for a `#`, `@`, `/` or whitespace written unescaped in the user name or password. The URL
 * parser accepts such a URL but splits it elsewhere: in `postgres://u:p@ss#word@db/app` the `#` starts a fragment
 * and the host becomes `ss`, a piece of the password that the driver then echoes (`getaddrinfo ENOTFOUND ss`). So
 * this runs before parsing and answers with the escape to use, never with any part of the value. A connection URL
 * has no use for a fragment or whitespace, and `@` belongs only between the credentials and the host.
 */
export function unescapedUserinfo(raw: string): string | undefined {
  const start = raw.indexOf('://');
  // Not shaped like a URL at all: the parser's "not a valid URL" says more.
  if (start < 0) return undefined;
  if (/\s/.test(raw)) {
    return 'has a space or other whitespace: write a space in the user name or password as %20';
  }
  if (raw.includes('#')) {
    return 'has a "#", which would end the URL there: write "#" in the user name or password as %23';
  }
  const rest = raw.slice(start + 3);
  const end = rest.search(/[/?]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const path = end < 0 ? '' : rest.slice(end).split('?', 1)[0];
  if (authority.split('@').length > 2) {
    return 'has more than one "@" before the host: write "@" in the user name or password as %40';
  }
  if (path.includes('@')) {
    return (
      'has an "@" after a "/" (a "/" in the user name or password ends the host part): write "/" there as %2F ' +
      'and "@" as %40'
    );
  }
  return undefined;
}

/** Whether `value` is valid percent-encoding (the drivers and `fetch` decode user names and passwords). */
export function decodes(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

/** Parameter names, cut short and stripped of anything unprintable: they are echoed, values never are. */
function printableKeys(keys: readonly string[]): string {
  return keys
    .slice(0, 5)
    .map((key) => key.replace(/[^\x21-\x7e]/g, '?').slice(0, 32))
    .join(', ');
}

/** The number of databases a stock Redis has (`databases 16`). */
export const REDIS_DATABASES = 16;

/** A Redis URL's path: empty, `/`, or `/<n>` with n a database index of a stock server. */
export function redisDatabasePath(path: string): string | undefined {
  const db = path.replace(/^\//, '');
  if (db === '' || (/^\d{1,2}$/.test(db) && Number(db) < REDIS_DATABASES)) return undefined;
  return `database must be a number from 0 to ${REDIS_DATABASES - 1} (the path after the port, e.g. /0)`;
}

/** The database index a Redis URL selects (0 when it names none). Call on a validated URL only. */
export function redisDatabaseOf(url: string): number {
  const db = new URL(url).pathname.replace(/^\//, '');
  return db ? Number(db) : 0;
}
