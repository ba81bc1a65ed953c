/**
 * The HTTP status of GET `url`, without reading the body (an event stream's never ends): the request is aborted
 * once the headers are in.
 */
export async function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  const controller = new AbortController();
  try {
    return (await fetch(url, { headers, signal: controller.signal })).status;
  } finally {
    controller.abort();
  }
}
