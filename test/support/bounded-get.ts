/** One answer of a service, read within a deadline. */
export interface BoundedAnswer {
  readonly status: number;
  readonly text: string;
  /** The body as JSON, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

/**
 * GETs `url` and reads the whole body, failing after `ms` instead of waiting for ever on a process whose event loop
 * no longer turns (the `probe` of ./app has no deadline: it serves tests where the service is known to answer).
 */
export async function boundedGet(url: string, ms = 5_000): Promise<BoundedAnswer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(ms) });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}
