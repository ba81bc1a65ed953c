#!/usr/bin/env node
/**
 * The container healthcheck: `node dist/cli/healthcheck.js` in the Dockerfile `HEALTHCHECK` and the compose `api`
 * healthcheck, for images that ship without curl. It GETs the full health report once and exits 0 when the answer
 * is HTTP 200 (healthy or degraded), 1 on anything else (503, another code, unreachable, timeout), printing one
 * short line to stdout, which Docker keeps in `docker inspect` (`State.Health.Log`).
 *
 * A separate tiny program, not part of the Nest app: node built-ins and global `fetch` only, so it starts in
 * milliseconds and cannot be broken by the app's module graph. For the same reason it reads `process.env` itself
 * instead of going through `AppConfig` (the one other place that does).
 */

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

/**
 * Reads the settings from an environment: `HEALTHCHECK_URL`, else the app's own port on loopback (`PORT`, default
 * 3000, as the app reads it); `HEALTHCHECK_TIMEOUT_MS` (default 4000). Empty values count as unset, as in the app.
 * Returns a result line instead of settings when a value is unusable, so a typo shows up as an unhealthy container
 * with a message rather than as a check that silently uses something else.
 */
export function resolveSettings(env: Readonly<Record<string, string | undefined>>): CheckSettings | CheckResult {
  const port = env.PORT?.trim() || '3000';
  const url = env.HEALTHCHECK_URL?.trim() || `http://127.0.0.1:${port}/api/v1/health`;
  const rawTimeout = env.HEALTHCHECK_TIMEOUT_MS?.trim() || String(DEFAULT_TIMEOUT_MS);
  if (!/^\d+$/.test(rawTimeout) || Number(rawTimeout) < 1) {
    return { code: 1, line: `invalid HEALTHCHECK_TIMEOUT_MS: must be a whole number of milliseconds >= 1` };
  }
  try {
    new URL(url);
  } catch {
    // Never echo the value: a URL may carry credentials.
    return { code: 1, line: env.HEALTHCHECK_URL?.trim() ? 'invalid HEALTHCHECK_URL' : 'invalid PORT' };
  }
  return { url, timeoutMs: Number(rawTimeout) };
}

/**
 * GETs `url` once, giving up after `timeoutMs` (connecting, headers and body all count: a server that sends
 * headers and then stalls is not healthy). Exit code 0 only for HTTP 200; the line is `<report status> <code>`
 * (e.g. `degraded 200`), `unreachable: <errno>` or `timed out after <n> ms`. Never throws.
 */
export async function checkOnce(url: string, timeoutMs: number): Promise<CheckResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    const status = reportStatus(await response.text());
    return { code: response.status === 200 ? 0 : 1, line: `${status} ${response.status}` };
  } catch (error) {
    if (controller.signal.aborted) return { code: 1, line: `timed out after ${timeoutMs} ms` };
    return { code: 1, line: `unreachable: ${reason(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/** The report's `status` when the body is a health report, else `http`. */
function reportStatus(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'status' in parsed) {
      const { status } = parsed;
      if (typeof status === 'string' && /^[a-z_-]{1,32}$/i.test(status)) return status;
    }
  } catch {
    // not JSON: say only the code
  }
  return 'http';
}

/**
 * The errno of a failed fetch (`ECONNREFUSED`, `ENOTFOUND`...), found on the error's cause, else its message. Duck
 * typed rather than `instanceof Error`: the error may come from another realm (a test sandbox).
 */
function reason(error: unknown): string {
  const cause = isObject(error) && error.cause !== undefined ? error.cause : error;
  if (isObject(cause) && typeof cause.code === 'string') return cause.code;
  const message = isObject(cause) && typeof cause.message === 'string' ? cause.message : String(cause);
  return message.split('\n')[0].slice(0, MAX_LINE);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
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
