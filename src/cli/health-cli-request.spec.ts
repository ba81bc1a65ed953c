import { FetchLike, reasonOf, requestReport } from './health-cli-request';

const URL = 'http://127.0.0.1:3000/api/v1/health';

/** A fake fetch whose response never comes (or whose body never ends) until the request is aborted. */
function hangingFetch(stage: 'headers' | 'body'): FetchLike {
  const untilAborted = (signal: AbortSignal) =>
    new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    });
  return (_url, { signal }) =>
    stage === 'headers' ? untilAborted(signal) : Promise.resolve({ status: 200, text: () => untilAborted(signal) });
}

const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const errno = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('requestReport', () => {
  afterEach(() => jest.useRealTimers());

  it('returns the HTTP code and the whole body, asking for JSON', async () => {
    const fake = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(async () => ({
      status: 503,
      text: async () => '{"a":1}',
    }));
    const answer = await requestReport(URL, 5000, fake);
    expect(answer).toEqual({ kind: 'answer', httpStatus: 503, bodyText: '{"a":1}' });
    const headers = { accept: 'application/json' };
    expect(fake).toHaveBeenCalledWith(URL, { signal: expect.any(AbortSignal), headers });
  });

  it.each(['headers', 'body'] as const)('aborts after the timeout when the %s never come, saying so', async (stage) => {
    jest.useFakeTimers();
    let settled = false;
    const result = requestReport(URL, 5000, hangingFetch(stage)).finally(() => (settled = true));
    await jest.advanceTimersByTimeAsync(4999);
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toEqual({ kind: 'unreachable', problem: `${URL} timed out after 5000 ms` });
  });

  it('clears its timer once answered, so a finished run does not wait for it', async () => {
    jest.useFakeTimers();
    await requestReport(URL, 5000, async () => ({ status: 200, text: async () => '{}' }));
    expect(jest.getTimerCount()).toBe(0);
  });

  it('reports a connection failure with the socket error code', async () => {
    const refused = fetchFailed(errno('connect ECONNREFUSED 127.0.0.1:3000', 'ECONNREFUSED'));
    await expect(requestReport(URL, 5000, () => Promise.reject(refused))).resolves.toEqual({
      kind: 'unreachable',
      problem: `cannot reach ${URL}: ECONNREFUSED (nothing listening)`,
    });
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
