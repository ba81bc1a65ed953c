import { isIPv4, isIPv6 } from 'node:net';
import { ConfigError, printable, type Setting } from '../config/settings';

/**
 * Which `Host` the service answers, against DNS rebinding: a page on `evil.example` whose name is made to resolve to
 * 127.0.0.1 talks to this service from the visitor's browser, same-origin for the browser, and reads whatever the
 * service shows. The browser still names `evil.example` in `Host`, so refusing names the service was not given
 * stops it. Names no public page can be served from stay allowed by default, so probes, compose and people on
 * loopback need no setting: IP literals (a rebinding page needs a name it controls the DNS of), single-label names
 * (`localhost`, compose services such as `api`) and cluster-internal suffixes.
 */

/** Host names and `*.suffix` patterns allowed on top of the defaults, normalised: lower case, no trailing dot. */
export interface AllowedHosts {
  /** Exact names, e.g. `health.example.com`. */
  readonly names: readonly string[];
  /** Suffixes with their leading dot, e.g. `.example.com` for `*.example.com`: a name below it, not the name itself. */
  readonly suffixes: readonly string[];
}

/** Suffixes every listener answers: Kubernetes Services (`*.svc`, `*.cluster.local`) and `*.internal` (cloud DNS). */
export const DEFAULT_HOST_SUFFIXES: readonly string[] = ['.svc', '.cluster.local', '.internal'];

/** The defaults, as the configuration reference shows them. */
export const DEFAULT_ALLOWED_HOSTS_TEXT = '`localhost`, IPs, one-label names, `*.svc`, `*.cluster.local`, `*.internal`';

/** A DNS label, or a compose-style name with `_` (`secuscan_api_1`). */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** `Host`: a bracketed IPv6 literal or anything without colons and brackets, then an optional port. */
const HOST_HEADER = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::\d*)?$/;

/**
 * Whether a request whose `Host` header is `host` may be answered: IP literals, single-label names, the default
 * suffixes and `allowed`, compared case-insensitively, ignoring the port and a trailing dot. A request that names
 * no host is allowed: only HTTP/1.0 may omit it (Node answers 400 to HTTP/1.1 without one) and a browser never
 * does, so such a request cannot come from a rebinding page.
 */
export function isAllowedHost(host: string | undefined, allowed: AllowedHosts): boolean {
  if (!host) return true;
  const match = HOST_HEADER.exec(host);
  if (!match) return false;
  const [, bracketed, plain] = match;
  if (bracketed !== undefined) return isIPv6(bracketed);
  const name = normalise(plain);
  if (isIPv4(name)) return true;
  if (!isHostName(name)) return false;
  return (
    !name.includes('.') ||
    allowed.names.includes(name) ||
    [...DEFAULT_HOST_SUFFIXES, ...allowed.suffixes].some((suffix) => name.endsWith(suffix))
  );
}

/**
 * `HEALTH_ALLOWED_HOSTS`-style entries (comma-separated host names and `*.suffix` patterns) as an
 * {@link AllowedHosts}; throws a {@link ConfigError} naming `variable` and the first unusable entry. An IP literal
 * is accepted and dropped (every one is allowed); a lone `*` is refused, since allowing every name is what
 * rebinding needs.
 */
export function parseAllowedHosts(variable: string, raw: string): AllowedHosts {
  const names: string[] = [];
  const suffixes: string[] = [];
  for (const entry of raw.split(',').map((item) => item.trim())) {
    if (!entry || isIPv4(entry) || (/^\[.*\]$/.test(entry) && isIPv6(entry.slice(1, -1)))) continue;
    if (entry === '*') {
      throw new ConfigError(
        `${variable} must not be "*": it would answer any Host, which DNS rebinding needs; name the domains instead (e.g. *.example.com)`,
      );
    }
    const pattern = entry.startsWith('*.');
    const name = normalise(pattern ? entry.slice(2) : entry);
    if (!isHostName(name)) {
      throw new ConfigError(
        `${variable} has "${printable(entry)}": each entry is a host name or a *.suffix pattern, without scheme, port or path (e.g. health.example.com,*.example.com)`,
      );
    }
    (pattern ? suffixes : names).push(pattern ? `.${name}` : name);
  }
  return { names, suffixes };
}

/** The `HEALTH_ALLOWED_HOSTS` setting: nothing beyond the defaults when unset. */
export function allowedHostsSetting(name: string, description: string): Setting<AllowedHosts> {
  return {
    name,
    defaultText: DEFAULT_ALLOWED_HOSTS_TEXT,
    description,
    parse: (raw) => (raw === undefined ? { names: [], suffixes: [] } : parseAllowedHosts(name, raw)),
  };
}

/** `allowed` plus the host of `url` (the service's public URL), which the operator named as the service's own. */
export function withHostOf(allowed: AllowedHosts, url: string | undefined): AllowedHosts {
  if (url === undefined) return allowed;
  const { hostname } = new URL(url);
  return { ...allowed, names: [...allowed.names, normalise(hostname)] };
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function isHostName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}
