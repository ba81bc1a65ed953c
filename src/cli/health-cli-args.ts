import { parseWholeNumber } from '../common/whole-number';
import { serviceUrl } from './service-url';

/** What one run of `secuscan-health` was asked to do. */
export interface CliOptions {
  /** What to fetch: the subcommand's own route, found from the service address given (or the default). */
  readonly url: string;
  /** Print the report as received (pretty-printed JSON) instead of the table. */
  readonly json: boolean;
  /** Abort the whole exchange (connect, headers and body) after this many milliseconds. */
  readonly timeoutMs: number;
}

/** The plugin states `plugins --state` may filter on. */
export const PLUGIN_STATES = ['runnable', 'blocked', 'disabled'] as const;
/** One of {@link PLUGIN_STATES}. */
export type PluginStateFilter = (typeof PLUGIN_STATES)[number];

/** What one run of `secuscan-health plugins` was asked to do. */
export interface PluginsCliOptions extends CliOptions {
  /** Show only the plugins in this state (the counts, the exit code and the "to fix" list still cover all). */
  readonly state?: PluginStateFilter;
}

/** What one run of `secuscan-health notify-test` was asked to do. */
export interface NotifyTestOptions {
  /** Each target's POST gives up after this many milliseconds. */
  readonly timeoutMs: number;
}

/** The outcome of {@link parseArgs}: run, show the help, or refuse with a one-line reason. */
export type ParsedArgs =
  | { readonly kind: 'run'; readonly options: CliOptions }
  | { readonly kind: 'plugins'; readonly options: PluginsCliOptions }
  | { readonly kind: 'notify-test'; readonly options: NotifyTestOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

/** `--help` text; the exit codes are part of the interface scripts rely on, so they are spelt out here. */
export const USAGE = `Usage: secuscan-health [--url <url>] [--timeout <ms>] [--json]
       secuscan-health plugins [--state runnable|blocked|disabled] [--url <url>] [--timeout <ms>] [--json]
       secuscan-health notify-test [--timeout <ms>]

Fetches the SecuScan health report and prints it as a table. With "plugins", fetches the plugin diagnostics and
prints every plugin's state, what the blocked ones lack and how to install it. With "notify-test", sends a test
notification to every target of HEALTH_NOTIFY_URLS (read from the environment and ./.env, as the service reads
them) and prints each target's answer.

Options:
  --url <url>     the service: its base (http://host:3000) or any of its health URLs (.../api/v1/health,
                  .../health/live, .../health/plugins); each command finds its own route from it. Default
                  http://127.0.0.1:$MANAGEMENT_PORT when MANAGEMENT_PORT is set, else http://127.0.0.1:$PORT, PORT
                  defaulting to 3000
  --timeout <ms>  give up after this many milliseconds (default 5000)
  --json          print the JSON as received, pretty-printed, instead of the table
  --state <s>     "plugins" only: list only the plugins in state runnable, blocked or disabled
  -h, --help      show this help

Environment: HEALTH_TOKEN, when set, is sent as "Authorization: Bearer <token>" (needed for details when the
service runs with HEALTH_DETAILS=when-authorized). It is read from the environment, never from the command line,
so it does not show in the process list. An answer refused (401) or without details (status only) says so on
stderr.

Exit codes: 0 healthy, 1 degraded, 2 unhealthy, unreachable, timed out, malformed answer or usage error.
"plugins": 0 every enabled plugin runnable, 1 some blocked, 2 unreachable, malformed or the registry unreadable.
"notify-test": 0 every target answered 2xx, 1 some did not, 2 no target, a bad setting or a usage error.
`;

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 600_000;

const usageError = (message: string): ParsedArgs => ({ kind: 'usage-error', message: `${message} (see --help)` });

/**
 * Parses the command line (`process.argv.slice(2)`) and the environment (only `MANAGEMENT_PORT` and `PORT`, for the
 * default URL, as the container healthcheck picks it) without side effects. Accepts `--opt value` and
 * `--opt=value`; a repeated option takes its last value. The ports are checked only when used, so a stray `PORT`
 * never breaks a run with an explicit `--url`.
 */
export function parseArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  if (args[0] === 'notify-test') return parseNotifyTestArgs(args.slice(1));
  const plugins = args[0] === 'plugins';
  const argv = plugins ? args.slice(1) : args;
  let url: string | undefined;
  let json = false;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let state: PluginStateFilter | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (!arg.startsWith('-')) return usageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (name === '--json') {
      if (inline !== undefined) return usageError('--json takes no value');
      json = true;
      continue;
    }
    const known = name === '--url' || name === '--timeout' || (plugins && name === '--state');
    if (!known) return usageError(`unknown option "${name}"`);
    // "--url --json" is a forgotten value, not a URL called "--json".
    const value = inline ?? (argv[i + 1]?.startsWith('-') ? undefined : argv[++i]);
    if (value === undefined || value === '') return usageError(`${name} needs a value`);
    if (name === '--url') {
      if (!isHttpUrl(value)) return usageError(`--url must be an http:// or https:// URL (got "${value}")`);
      url = value;
    } else if (name === '--state') {
      const wanted = PLUGIN_STATES.find((candidate) => candidate === value);
      if (!wanted) return usageError(`--state must be one of ${PLUGIN_STATES.join(', ')} (got "${value}")`);
      state = wanted;
    } else {
      const ms = parseWholeNumber(value, 1, MAX_TIMEOUT_MS);
      if (ms === undefined) {
        return usageError(`--timeout must be a whole number of ms from 1 to ${MAX_TIMEOUT_MS} (got "${value}")`);
      }
      timeoutMs = ms;
    }
  }
  if (url === undefined) {
    // Empty counts as unset, as for the service itself. The management listener, when there is one, is where the
    // details are served.
    const [name, raw] = env.MANAGEMENT_PORT?.trim() ? ['MANAGEMENT_PORT', env.MANAGEMENT_PORT] : ['PORT', env.PORT];
    const port = raw?.trim() ? parseWholeNumber(raw.trim(), 1, 65535) : 3000;
    if (port === undefined) return usageError(`${name} must be a port number from 1 to 65535 (got "${raw}")`);
    url = `http://127.0.0.1:${port}`;
  }
  url = serviceUrl(url, plugins ? 'plugins' : 'report');
  if (plugins) return { kind: 'plugins', options: { url, json, timeoutMs, ...(state ? { state } : {}) } };
  return { kind: 'run', options: { url, json, timeoutMs } };
}

/** `notify-test [--timeout <ms>]`: no service address, since it talks to the targets, not to the service. */
function parseNotifyTestArgs(argv: readonly string[]): ParsedArgs {
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const [name, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    if (!name.startsWith('-')) return usageError(`unexpected argument "${arg}"`);
    if (name !== '--timeout') return usageError(`unknown option "${name}" for notify-test`);
    const value = inline ?? argv[++i];
    const ms = value === undefined ? undefined : parseWholeNumber(value, 1, MAX_TIMEOUT_MS);
    if (ms === undefined) {
      return usageError(`--timeout must be a whole number of ms from 1 to ${MAX_TIMEOUT_MS} (got "${value ?? ''}")`);
    }
    timeoutMs = ms;
  }
  return { kind: 'notify-test', options: { timeoutMs } };
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
