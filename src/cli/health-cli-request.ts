/** The part of `fetch` the CLI uses, so tests can hand in a fake. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

/** What came back: an HTTP answer with its body, or why there was none. */
export type Answer =
  | { readonly kind: 'answer'; readonly httpStatus: number; readonly bodyText: string }
  | { readonly kind: 'unreachable'; readonly problem: string };

/** Codes worth a word of explanation for someone who does not know errno names by heart. */
const HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing listening',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
};

/**
 * GETs `url` and reads the whole body within `timeoutMs`. The timer covers connect, headers and body alike — a
 * server that accepts and then never answers, or stalls mid-body, is as broken as one that is down — and it is
 * cleared afterwards so a finished run never waits for it. Never rejects: failures come back as `unreachable`.
 */
export async function requestReport(url: string, timeoutMs: number, fetchImpl: FetchLike): Promise<Answer> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await fetchImpl(url, { signal: controller.signal, headers: { accept: 'application/json' } });
    const bodyText = await response.text();
    return { kind: 'answer', httpStatus: response.status, bodyText };
  } catch (error) {
    if (timedOut) return { kind: 'unreachable', problem: `${url} timed out after ${timeoutMs} ms` };
    return { kind: 'unreachable', problem: `cannot reach ${url}: ${reasonOf(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The useful part of a fetch failure. Node's fetch throws `TypeError("fetch failed")` and hides the socket error in
 * `cause` (itself an AggregateError with the code when several addresses were tried), so look there first.
 */
export function reasonOf(error: unknown): string {
  const cause = field(error, 'cause');
  const code = field(cause, 'code') ?? field(error, 'code');
  if (typeof code === 'string' && code) return HINTS[code] ? `${code} (${HINTS[code]})` : code;
  const message = field(cause, 'message') || field(error, 'message');
  return typeof message === 'string' && message ? message.split('\n', 1)[0] : String(error);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}
