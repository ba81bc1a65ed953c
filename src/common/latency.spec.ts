import { roundMs, timed } from './latency';

describe('timed', () => {
  it('returns the value and a non-negative latency rounded to 0.1 ms', async () => {
    const result = await timed(() => Promise.resolve('pong'));
    expect(result).toEqual({ ok: true, value: 'pong', latencyMs: expect.any(Number) });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(result.latencyMs * 10)).toBe(true);
  });

  it('measures the time the probe took', async () => {
    const result = await timed(() => new Promise((resolve) => setTimeout(resolve, 30)));
    expect(result.latencyMs).toBeGreaterThanOrEqual(25);
  });

  it('catches a rejection and a synchronous throw alike', async () => {
    const error = new Error('boom');
    await expect(timed(() => Promise.reject(error))).resolves.toMatchObject({ ok: false, error });
    await expect(
      timed(() => {
        throw error;
      }),
    ).resolves.toMatchObject({ ok: false, error });
  });
});

describe('roundMs', () => {
  it('keeps one decimal', () => {
    expect(roundMs(2.44)).toBe(2.4);
    expect(roundMs(0.05)).toBe(0.1);
    expect(roundMs(12)).toBe(12);
  });
});
