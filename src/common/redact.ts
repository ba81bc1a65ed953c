import { TimeoutError } from './timeout';

const MAX_DETAIL_LENGTH = 200;

/**
 * `scheme://user:secret@host:port/db?x=y` → `scheme://host:port`: the host helps an operator, the rest may be
 * secret. The credentials run to the last `@` before the host, since a raw `@` may sit inside a password.
 */
const URL_PATTERN = /\b([a-z][a-z0-9+.-]*):\/\/(?:[^\s/]*@)?([^\s/?#:@]+(?::\d+)?)[^\s]*/gi;
/**
 * `password=hunter2`, `token: abc`, `"secret":"x"`, `db.password=x`, `password="two words"` and the like. A key that
 * ends a path (`/etc/passwd: is not a directory`, `C:\\app\\token: no such file`) names a file, not a credential,
 * so it is left alone: the key must not follow a `/` or `\\`.
 */
const SECRET_PAIR_PATTERN =
  /(?<![/\\])\b(password|passwd|pwd|token|secret|api[_-]?key|auth)(["']?\s*[:=]\s*)("[^"]*"?|'[^']*'?|[^\s"',;&]+)/gi;

/**
 * Makes a message safe and short enough for a health report: its first line only (never a stack trace), URLs cut to
 * scheme, host and port, `password=…`-style pairs masked, and at most 200 characters. Every check's `detail` passes
 * through here, so this is the one place secrets are kept out of health output and logs.
 */
export function redact(message: string): string {
  const firstLine = message.split('\n', 1)[0].trim();
  const cleaned = firstLine.replace(URL_PATTERN, '$1://$2').replace(SECRET_PAIR_PATTERN, '$1$2***');
  return cleaned.length > MAX_DETAIL_LENGTH ? `${cleaned.slice(0, MAX_DETAIL_LENGTH - 1)}…` : cleaned;
}

/** A redacted one-line description of anything thrown, including non-`Error` values and errors without a message. */
export function describeError(error: unknown): string {
  if (!isErrorLike(error)) return redact(typeof error === 'string' ? error : 'unknown error');
  const inner = (error as { errors?: unknown }).errors;
  if (!error.message && Array.isArray(inner) && inner.length > 0) {
    // net.connect to "localhost" tries ::1 and 127.0.0.1 and throws an AggregateError with an empty message.
    return describeError(inner[0]);
  }
  const code = (error as NodeJS.ErrnoException).code;
  const message = error.message || code || error.name || 'error';
  return redact(code && !message.includes(code) ? `${code}: ${message}` : message);
}

/**
 * Duck-typed on purpose: errors from Node's core (`net`, `dns`) may come from another realm (a VM context, a
 * worker), where `instanceof Error` is false although they are errors.
 */
function isErrorLike(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}

/**
 * The `detail` of a failed probe: a timeout speaks for itself ("redis PING timed out after 1000 ms"); anything else
 * is prefixed with what failed ("database unreachable: connect ECONNREFUSED 127.0.0.1:5432").
 */
export function describeFailure(what: string, error: unknown): string {
  if (error instanceof TimeoutError) return error.message;
  return redact(`${what}: ${describeError(error)}`);
}
