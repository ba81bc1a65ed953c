/** One answer of a maintenance route: its code, headers and JSON body. */
export interface MaintenanceAnswer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
  readonly body: Record<string, any>;
}

/** The maintenance route below `base` (an origin such as `http://127.0.0.1:3000`). */
export const maintenanceUrl = (base: string) => `${base}/api/v1/health/maintenance`;

/**
 * Sends `method` to the maintenance route below `base`, with `body` as JSON (a string is sent as it is, with the
 * content type `headers` give it, else `application/json`), and reads the JSON answer.
 */
export async function maintenance(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  { headers = {}, body }: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<MaintenanceAnswer> {
  const text = body === undefined || typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(maintenanceUrl(base), {
    method,
    headers: text === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: text,
  });
  const answer = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(answer) as Record<string, unknown> };
}
