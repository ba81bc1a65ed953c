#!/usr/bin/env node
/**
 * The container healthcheck: `node dist/cli/healthcheck.js` in the Dockerfile `HEALTHCHECK` and the compose `api`
 * healthcheck, for images that ship without curl. It GETs the full health report once and exits 0 when the answer
 * is HTTP 200 (healthy or degraded), 1 on anything else (503, another code, unreachable, timeout), printing one
 * short line to stdout, which Docker keeps in `docker inspect` (`State.Health.Log`).
 *
 * A separate tiny program, not part of the Nest app: it shares only the command-line tools' HTTP client, so it
 * starts in milliseconds and cannot be broken by the app's module graph. For the same reason it reads `process.env` itself
 * instead of going through `AppConfig` (the one other place that does).
 */

// First of all: on a Node older than package.json's `engines`, one line and exit 1 instead of a stack trace.
import '../node-floor.cjs';
import { isRecord } from '../common/is-record';
import { parseWholeNumber } from '../common/whole-number';
import { FetchLike, httpGet } from './http-get';

/** The outcome of one check: the process exit code and the line to print. */
export interface CheckResult {
  code: 0 | 1;
  line: string;
}

/** What one run checks: the URL and how long it may take, connect and body included. */
export interface CheckSettings {
  url: string;
  timeoutMs: number;
}

/** Below Docker's `--timeout=5s`, so the script reports a timeout itself instead of being killed silently. */
export const DEFAULT_TIMEOUT_MS = 4000;

const MAX_LINE = 120;
/** Listening on every address; the check reaches such a listener on loopback. */
const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]']);
const MAX_TIMEOUT_MS = 600_000;

/**
 * Reads the settings from an environment: `HEALTHCHECK_URL`, else the management listener when `MANAGEMENT_PORT` is
 * set (on `MANAGEMENT_HOST` unless that is a wildcard, where loopback reaches it; a flood on the main port must not
 * fail the container's check), else the app's own port on loopback (`PORT`, default 3000, as the app reads it);
 * `HEALTHCHECK_TIMEOUT_MS` (default 4000). Empty values count as unset, as in the app.
 * Returns a result line instead of settings when a value is unusable, so a typo shows up as an unhealthy container
 * with a message rather than as a check that silently uses something else.
 */
export function resolveSettings(env: Readonly<Record<string, string | undefined>>): CheckSettings | CheckResult {
  const rawPort = env.PORT?.trim() || '3000';
  const rawTimeout = env.HEALTHCHECK_TIMEOUT_MS?.trim() || String(DEFAULT_TIMEOUT_MS);
  const timeoutMs = parseWholeNumber(rawTimeout, 1, MAX_TIMEOUT_MS);
  if (timeoutMs === undefined) {
    return {
      code: 1,
      line: `invalid HEALTHCHECK_TIMEOUT_MS: must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`,
    };
  }
  const explicit = env.HEALTHCHECK_URL?.trim();
  if (explicit) {
    // Never echo the value: a URL may carry credentials.
    return URL.canParse(explicit) ? { url: explicit, timeoutMs } : { code: 1, line: 'invalid HEALTHCHECK_URL' };
  }
  const rawManagementPort = env.MANAGEMENT_PORT?.trim();
  if (rawManagementPort) {
    const managementPort = parseWholeNumber(rawManagementPort, 1, 65535);
    if (managementPort === undefined) {
      return { code: 1, line: 'invalid MANAGEMENT_PORT: must be a port number from 1 to 65535' };
    }
    const host = env.MANAGEMENT_HOST?.trim() || '127.0.0.1';
    const reachable = WILDCARDS.has(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    return { url: `http://${reachable}:${managementPort}/api/v1/health`, timeoutMs };
  }
  const port = parseWholeNumber(rawPort, 1, 65535);
  if (port === undefined) return { code: 1, line: 'invalid PORT: must be a port number from 1 to 65535' };
  return { url: `http://127.0.0.1:${port}/api/v1/health`, timeoutMs };
}

/**
 * GETs `url` once within `timeoutMs` (connecting, headers and body all count: a server that sends headers and then
 * stalls is not healthy). Exit code 0 only for HTTP 200; the line is `<report status> <code>` (e.g.
 * `degraded 200`), or what went wrong. Never throws.
 */
export async function checkOnce(url: string, timeoutMs: number, fetchImpl?: FetchLike): Promise<CheckResult> {
  const outcome = await httpGet(url, { timeoutMs, accept: 'application/json', fetch: fetchImpl });
  if (outcome.kind === 'failed') return { code: 1, line: outcome.problem };
  const status = reportStatus(outcome.bodyText);
  return { code: outcome.httpStatus === 200 ? 0 : 1, line: `${status} ${outcome.httpStatus}` };
}

/** The report's `status` when the body is a health report, else `http`. */
function reportStatus(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed) && typeof parsed.status === 'string' && /^[a-z_-]{1,32}$/i.test(parsed.status)) {
      return parsed.status;
    }
  } catch {
    // not JSON: say only the code
  }
  return 'http';
}

async function main(): Promise<void> {
  const settings = resolveSettings(process.env);
  const result = 'line' in settings ? settings : await checkOnce(settings.url, settings.timeoutMs);
  // Exit explicitly once the line is written: an aborted socket must not keep the check alive past its verdict.
  process.stdout.write(`${result.line.slice(0, MAX_LINE)}\n`, () => process.exit(result.code));
}

if (require.main === module) {
  void main();
}
