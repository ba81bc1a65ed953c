#!/usr/bin/env node
// First of all: on a Node older than package.json's `engines`, one line and exit 1 instead of a stack trace.
import '../node-floor.cjs';
import { parseArgs, PluginsCliOptions, USAGE } from './health-cli-args';
import { ExitCode, isStatusOnly, judge } from './health-cli-judge';
import { displayUrl, FetchLike, httpGet, HttpOutcome } from './http-get';
import { escapeJsonControl } from '../logging/escape-control';
import { formatTable } from './health-cli-table';
import { runNotifyTest } from './notify-test-cli';
import { shouldColor } from './health-cli-text';
import { judgePlugins } from './plugins-cli-judge';
import { formatPluginsTable } from './plugins-cli-table';

/** Everything the CLI touches outside itself, so a whole run can be tested with fakes. */
export interface CliIo {
  readonly fetch: FetchLike;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTty: boolean;
}

const PREFIX = 'secuscan-health: ';

/**
 * One run of `secuscan-health`: parse, fetch, judge, print; resolves with the exit code. Only a valid report goes to
 * stdout (as a table, or as JSON with `--json`), so a script can pipe stdout without checking for error text;
 * every problem is one line on stderr.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<ExitCode> {
  const parsed = parseArgs(argv, env);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return ExitCode.healthy;
  }
  if (parsed.kind === 'usage-error') {
    io.stderr(`${PREFIX}${parsed.message}\n`);
    return ExitCode.failure;
  }
  if (parsed.kind === 'plugins') return runPlugins(parsed.options, env, io);
  if (parsed.kind === 'notify-test') return runNotifyTest(parsed.options, env, io);
  const { json, timeoutMs } = parsed.options;
  const answer = await fetchJson(parsed.options.url, timeoutMs, env, io);
  if (answer.kind === 'failed') return ExitCode.failure;
  const url = displayUrl(parsed.options.url);
  const { exitCode, report, problem } = judge(answer.httpStatus, answer.bodyText);
  if (!report) {
    io.stderr(`${PREFIX}malformed answer from ${url}: ${problem}\n`);
    return exitCode;
  }
  if (problem) io.stderr(`${PREFIX}warning: ${url}: ${problem}\n`);
  if (isStatusOnly(report)) io.stderr(`${PREFIX}warning: ${url}: ${statusOnlyHint(hasToken(env))}\n`);
  const color = shouldColor(io.stdoutIsTty, env);
  io.stdout(json ? jsonOutput(report) : formatTable(report, { url, color }));
  return exitCode;
}

/**
 * `secuscan-health plugins`: fetch the plugin diagnostics, print them (table or JSON) and exit 0 when no enabled
 * plugin is blocked, 1 when some are, 2 when the answer is unusable or the registry failed.
 */
async function runPlugins(
  options: PluginsCliOptions,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<ExitCode> {
  const answer = await fetchJson(options.url, options.timeoutMs, env, io);
  if (answer.kind === 'failed') return ExitCode.failure;
  const url = displayUrl(options.url);
  const verdict = judgePlugins(answer.httpStatus, answer.bodyText);
  if (!('diagnostics' in verdict)) {
    io.stderr(`${PREFIX}malformed answer from ${url}: ${verdict.problem}\n`);
    return verdict.exitCode;
  }
  const color = shouldColor(io.stdoutIsTty, env);
  const { diagnostics } = verdict;
  io.stdout(
    options.json
      ? jsonOutput(diagnostics)
      : formatPluginsTable(diagnostics, { url, color, ...(options.state ? { state: options.state } : {}) }),
  );
  return verdict.exitCode;
}

/**
 * `value` as indented JSON for stdout. `JSON.stringify` leaves DEL, C1, bidi and other format characters raw, which a
 * terminal would act on; they are written as `\u` escapes, so the output still parses to the same value.
 */
function jsonOutput(value: unknown): string {
  return `${escapeJsonControl(JSON.stringify(value, null, 2))}\n`;
}

/** `HEALTH_TOKEN` as sent: trimmed, and unset when empty. */
function tokenOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env.HEALTH_TOKEN?.trim() || undefined;
}

const hasToken = (env: Readonly<Record<string, string | undefined>>): boolean => tokenOf(env) !== undefined;

/**
 * Why a report came without details, and what to do: the service shows them to a caller without its token as the
 * statuses only (no version, uptime, latency, counts or failure text), which would otherwise read as a table of
 * "?" and "-" with nothing said.
 */
function statusOnlyHint(tokenSent: boolean): string {
  const why = tokenSent
    ? 'the service did not take HEALTH_TOKEN as its token'
    : "set HEALTH_TOKEN to the service's token (HEALTH_DETAILS=when-authorized)";
  return (
    `the answer has the statuses only, no details: ${why}; ` +
    'with HEALTH_DETAILS=never, or on the main port when MANAGEMENT_PORT is set, no token shows them'
  );
}

/**
 * GETs `url` as JSON with the token of `HEALTH_TOKEN`, if any. A failure, or a 401 (details need a token the run
 * did not have or the service refused), is one line on stderr and comes back as `failed`.
 */
async function fetchJson(
  url: string,
  timeoutMs: number,
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<HttpOutcome> {
  const token = tokenOf(env);
  const answer = await httpGet(url, { timeoutMs, accept: 'application/json', token, fetch: io.fetch });
  if (answer.kind === 'failed') {
    io.stderr(`${PREFIX}${answer.problem}\n`);
    return answer;
  }
  if (answer.httpStatus === 401) {
    const hint = token ? 'the service refused HEALTH_TOKEN' : "set HEALTH_TOKEN to the service's token";
    const problem = `${displayUrl(url)} answered 401: it shows details only with a token (${hint})`;
    io.stderr(`${PREFIX}${problem}\n`);
    return { kind: 'failed', problem };
  }
  if (answer.httpStatus === 421) {
    const host = new URL(url).hostname; // parsed: punycode, no control characters
    const problem =
      `${displayUrl(url)} answered 421: the service does not answer to the name ${host} ` +
      '(use its IP address, or add the name to its HEALTH_ALLOWED_HOSTS)';
    io.stderr(`${PREFIX}${problem}\n`);
    return { kind: 'failed', problem };
  }
  return answer;
}

/**
 * The process wiring. This is a separate program, not part of the service, so it reads its own environment
 * (`PORT`, `MANAGEMENT_PORT`, `HEALTH_TOKEN`, `NO_COLOR`) here instead of going through the service's AppConfig;
 * `notify-test` alone reads the service's notification settings, and `.env`, as the service does. A crash must exit 2, not Node's
 * default 1, which would read as "degraded" to a pipeline. `exitCode` instead of `process.exit()` lets stdout drain.
 */
function main(): void {
  const io: CliIo = {
    fetch,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY === true,
  };
  void runCli(process.argv.slice(2), process.env, io).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${PREFIX}internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = ExitCode.failure;
    },
  );
}

if (require.main === module) main();
