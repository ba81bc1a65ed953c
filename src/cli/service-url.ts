/** The service's own routes under its base URL, as the CLI's subcommands fetch them. */
const API_ROUTE = '/api/v1/health';

/** What a subcommand reads: the health report, or the plugin diagnostics. */
export type ServiceRoute = 'report' | 'plugins';

const SUFFIX: Readonly<Record<ServiceRoute, string>> = { report: API_ROUTE, plugins: `${API_ROUTE}/plugins` };

/**
 * The health routes a `--url` may name instead of the service's base: the report, liveness, readiness and the plugin
 * diagnostics (with or without a trailing slash). What precedes one of them is the base, so a service behind a
 * proxy prefix (`https://host/secuscan/api/v1/health`) keeps its prefix.
 */
const KNOWN_ROUTE = /\/api\/v1\/health(?:\/(?:live|ready|plugins))?\/*$/;

/**
 * The URL `route` lives at, given the service's address as a person would type it: its base
 * (`http://host:3000`, `https://host/secuscan`) or any of its health URLs. Each subcommand finds its own route
 * from it, so `plugins --url …/api/v1/health` asks the diagnostics, not the report. Credentials and the query
 * string are kept. `url` must be a valid http(s) URL.
 */
export function serviceUrl(url: string, route: ServiceRoute): string {
  const parsed = new URL(url);
  const base = parsed.pathname.replace(KNOWN_ROUTE, '').replace(/\/+$/, '');
  parsed.pathname = `${base}${SUFFIX[route]}`;
  return parsed.toString();
}
