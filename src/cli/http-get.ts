import { basicAuthFrom } from '../common/basic-auth';
import { isRecord } from '../common/is-record';
import { redact } from '../common/redact';

/**
 * The one HTTP client of the command-line tools (`secuscan-health` and the container healthcheck): a GET with a
 * single deadline over connect, headers and body, a cap on the body, no redirects, and failures worded for people.
 * Node built-ins and global `fetch` only, so the tools start in milliseconds.
 */

/** The part of `fetch` used here, so tests can hand in a fake (a `Response` is the easiest one). */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string>; redirect: 'manual' },
) => Promise<{ readonly status: number; readonly body: ReadableStream<Uint8Array> | null }>;

/** What came back: an HTTP answer with its body, or why there was none. */
export type HttpOutcome =
  | { readonly kind: 'answer'; readonly httpStatus: number; readonly bodyText: string }
  | { readonly kind: 'failed'; readonly problem: string };

/** How {@link httpGet} asks. */
export interface HttpGetOptions {
  /** The whole exchange (connect, headers and body) must finish within this many milliseconds. */
  readonly timeoutMs: number;
  /** The `Accept` header. */
  readonly accept: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  readonly token?: string;
  /** A longer body is not read: a health answer is a few kilobytes, never this. */
  readonly maxBytes?: number;
  readonly fetch?: FetchLike;
}

/** Bodies above this are refused unread past the limit. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Codes worth a word of explanation for someone who does not know errno names by heart. */
const HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listening',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
};

/**
 * GETs `url` once. A server that accepts and then never answers, or stalls mid-body, is as broken as one that is
 * down, so the deadline covers the body too; the timer is cleared afterwards so a finished run never waits for
 * it. A redirect is an answer like any other (a health URL that moved is a misconfiguration to report, not to
 * follow). Never rejects. Failures name the URL without credentials or query string.
 */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpOutcome> {
  const { timeoutMs, accept, token, maxBytes = MAX_BODY_BYTES, fetch: fetchImpl = fetch } = options;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const shown = displayUrl(url);
  try {
    const { target, headers } = withCredentialsAsHeader(url, {
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    });
    const response = await fetchImpl(target, { signal: controller.signal, headers, redirect: 'manual' });
    const body = await readCapped(response.body, maxBytes);
    if (body === undefined) {
      controller.abort();
      return { kind: 'failed', problem: `${shown} answered HTTP ${response.status} with more than ${maxBytes} bytes` };
    }
    return { kind: 'answer', httpStatus: response.status, bodyText: body };
  } catch (error) {
    if (timedOut) return { kind: 'failed', problem: `${shown} timed out after ${timeoutMs} ms` };
    return { kind: 'failed', problem: `cannot reach ${shown}: ${reasonOf(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `fetch` refuses a URL with `user:password@` (and names the whole URL, password included, in its error), so the
 * credentials travel as HTTP Basic authentication instead, as curl sends them.
 */
function withCredentialsAsHeader(
  url: string,
  headers: Record<string, string>,
): { target: string; headers: Record<string, string> } {
  const parsed = URL.parse(url);
  const auth = parsed ? basicAuthFrom(parsed) : {};
  if (!parsed || !auth.authorization) return { target: url, headers };
  return { target: parsed.toString(), headers: { ...headers, ...auth } };
}

/** The body as text, or `undefined` once it exceeds `maxBytes` (the rest is not read). */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string | undefined> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `url` fit to print: no user, password or query string, which may carry secrets. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * The useful part of a fetch failure. Node's fetch throws `TypeError("fetch failed")` and hides the socket error in
 * `cause` (itself an AggregateError with the code when several addresses were tried), so look there first.
 * Duck typed rather than `instanceof`: the error may come from another realm (a test sandbox).
 */
export function reasonOf(error: unknown): string {
  const cause = field(error, 'cause');
  const code = field(cause, 'code') ?? field(error, 'code');
  if (typeof code === 'string' && code) return HINTS[code] ? `${code} (${HINTS[code]})` : code;
  const message = field(cause, 'message') || field(error, 'message');
  // Error messages may quote a URL, credentials and all: cut every URL down to its host.
  return redact(typeof message === 'string' && message ? message : String(error));
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}
