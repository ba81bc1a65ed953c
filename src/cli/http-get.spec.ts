import { displayUrl, FetchLike, httpGet, MAX_BODY_BYTES, reasonOf } from './http-get';

const URL = 'http://127.0.0.1:3000/api/v1/health';
const options = { timeoutMs: 5000, accept: 'application/json' };

/** A fake fetch whose response never comes (or whose body never ends) until the request is aborted. */
function hangingFetch(stage: 'headers' | 'body'): FetchLike {
  return (_url, { signal }) => {
    if (stage === 'headers') {
      return new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
      );
    }
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
      },
    });
    return Promise.resolve({ status: 200, body });
  };
}

const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const errno = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('httpGet', () => {
  afterEach(() => jest.useRealTimers());

  it('returns the HTTP code and the whole body, asking for the given type and refusing redirects', async () => {
    const fake = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(() =>
      Promise.resolve(new Response('{"a":1}', { status: 503 })),
    );
    const answer = await httpGet(URL, { ...options, fetch: fake });
    expect(answer).toEqual({ kind: 'answer', httpStatus: 503, bodyText: '{"a":1}' });
    expect(fake).toHaveBeenCalledWith(URL, {
      signal: expect.any(AbortSignal),
      headers: { accept: 'application/json' },
      redirect: 'manual',
    });
  });

  it.each(['headers', 'body'] as const)('aborts after the timeout when the %s never come, saying so', async (stage) => {
    jest.useFakeTimers();
    let settled = false;
    const result = httpGet(URL, { ...options, fetch: hangingFetch(stage) }).finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(4999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({ kind: 'failed', problem: `${URL} timed out after 5000 ms` });
  });

  it('clears its timer once answered, so a finished run does not wait for it', async () => {
    jest.useFakeTimers();
    await httpGet(URL, { ...options, fetch: () => Promise.resolve(new Response('{}')) });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops reading a body larger than the cap and says so', async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const answer = await httpGet(URL, { ...options, fetch: () => Promise.resolve({ status: 200, body: endless }) });
    expect(answer).toEqual({
      kind: 'failed',
      problem: `${URL} answered HTTP 200 with more than ${MAX_BODY_BYTES} bytes`,
    });
    expect(pulled * 64 * 1024).toBeLessThan(MAX_BODY_BYTES + 256 * 1024);
  });

  it('reports a connection failure with the socket error code, never the credentials in the URL', async () => {
    const refused = fetchFailed(errno('connect ECONNREFUSED 127.0.0.1:3000', 'ECONNREFUSED'));
    await expect(
      httpGet('http://admin:s3cret@127.0.0.1:3000/api/v1/health?token=t0k', {
        ...options,
        fetch: () => Promise.reject(refused),
      }),
    ).resolves.toEqual({ kind: 'failed', problem: `cannot reach ${URL}: ECONNREFUSED (nothing listening)` });
  });
});

describe('displayUrl', () => {
  it('drops user, password, query and fragment', () => {
    expect(displayUrl('https://u:p@host:8443/api/v1/health?token=x#y')).toBe('https://host:8443/api/v1/health');
    expect(displayUrl('not a url')).toBe('(invalid URL)');
  });
});

describe('reasonOf', () => {
  it("digs the code out of fetch's cause, explaining the common ones", () => {
    const dns = fetchFailed(errno('getaddrinfo ENOTFOUND nohost.invalid', 'ENOTFOUND'));
    expect(reasonOf(dns)).toBe('ENOTFOUND (unknown host)');
    expect(reasonOf(fetchFailed(errno('x', 'EPROTO')))).toBe('EPROTO');
  });

  it('reads the code of an AggregateError (several addresses tried)', () => {
    const aggregate = Object.assign(new AggregateError([errno('a', 'ECONNREFUSED')], ''), { code: 'ECONNREFUSED' });
    expect(reasonOf(fetchFailed(aggregate))).toBe('ECONNREFUSED (nothing listening)');
  });

  it('falls back to the first line of the cause, then of the error, then to the value itself', () => {
    expect(reasonOf(fetchFailed(new Error('other side closed\n    at Socket')))).toBe('other side closed');
    expect(reasonOf(new TypeError('Failed to parse URL'))).toBe('Failed to parse URL');
    expect(reasonOf('boom')).toBe('boom');
  });
});

describe('httpGet with credentials in the URL', () => {
  it('sends them as Basic authentication, not in the URL fetch refuses', async () => {
    const fake = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(() => Promise.resolve(new Response('{}')));
    await httpGet('http://probe:s%40cret@127.0.0.1:3000/api/v1/health', { ...options, fetch: fake });
    expect(fake).toHaveBeenCalledWith(
      URL,
      expect.objectContaining({
        headers: {
          accept: 'application/json',
          authorization: `Basic ${Buffer.from('probe:s@cret').toString('base64')}`,
        },
      }),
    );
  });

  it('never repeats a URL quoted in an error message with its password', () => {
    expect(reasonOf(new TypeError('bad URL: http://u:pw@host:1/x'))).toBe('bad URL: http://host:1');
  });
});
