import { isTransientFsError, retryTransient } from './transient-fs';

const fsError = (code: string) => Object.assign(new Error(`${code}: fake`), { code });

describe('retryTransient', () => {
  const sleeps: number[] = [];
  const sleep = (ms: number) => {
    sleeps.push(ms);
    return Promise.resolve();
  };
  beforeEach(() => (sleeps.length = 0));

  it.each(['EMFILE', 'ENFILE', 'EAGAIN'])(
    'tries again after %s, pausing between tries, until it works',
    async (code) => {
      const attempt = jest
        .fn<Promise<string>, []>()
        .mockRejectedValueOnce(fsError(code))
        .mockRejectedValueOnce(fsError(code))
        .mockResolvedValue('opened');
      await expect(retryTransient(attempt, { delaysMs: [5, 10, 20], sleep })).resolves.toBe('opened');
      expect(attempt).toHaveBeenCalledTimes(3);
      expect(sleeps).toEqual([5, 10]);
    },
  );

  it('throws the transient error of the last try once the pauses are spent', async () => {
    const attempt = jest.fn<Promise<string>, []>().mockRejectedValue(fsError('EMFILE'));
    await expect(retryTransient(attempt, { delaysMs: [5, 10], sleep })).rejects.toMatchObject({ code: 'EMFILE' });
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([5, 10]);
  });

  it.each([
    ['ENOENT', fsError('ENOENT')],
    ['EACCES', fsError('EACCES')],
    ['ELOOP', fsError('ELOOP')],
    ['an error without a code', new Error('plain')],
  ])('never tries again after %s', async (_, error) => {
    const attempt = jest.fn<Promise<string>, []>().mockRejectedValue(error);
    await expect(retryTransient(attempt, { delaysMs: [5], sleep })).rejects.toThrow();
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });

  it('waits for real between tries by default', async () => {
    const attempt = jest.fn<Promise<string>, []>().mockRejectedValueOnce(fsError('EMFILE')).mockResolvedValue('ok');
    const start = performance.now();
    await expect(retryTransient(attempt, { delaysMs: [30] })).resolves.toBe('ok');
    // Timers may fire a millisecond early by the performance clock's rounding; never much earlier.
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
  });
});

describe('isTransientFsError', () => {
  it('is true only for EMFILE, ENFILE and EAGAIN', () => {
    expect(['EMFILE', 'ENFILE', 'EAGAIN', 'ENOENT', 'EIO'].map((code) => isTransientFsError(fsError(code)))).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(isTransientFsError(undefined)).toBe(false);
    expect(isTransientFsError('EMFILE')).toBe(false);
  });
});
