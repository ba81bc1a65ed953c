import { TimeoutError, withTimeout } from './timeout';

describe('withTimeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves with the work when it finishes in time, and clears its timer', async () => {
    const onTimeout = jest.fn();
    await expect(withTimeout(Promise.resolve(42), 100, 'thing', onTimeout)).resolves.toBe(42);
    expect(jest.getTimerCount()).toBe(0);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('passes the work’s own error through, and clears its timer', async () => {
    await expect(withTimeout(Promise.reject(new Error('refused')), 100, 'thing')).rejects.toThrow('refused');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with a TimeoutError saying what and after how long, and tells the caller to clean up', async () => {
    const onTimeout = jest.fn();
    const pending = withTimeout(new Promise<never>(() => undefined), 1500, 'redis PING', onTimeout);
    jest.advanceTimersByTime(1499);
    expect(onTimeout).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    await expect(pending).rejects.toEqual(new TimeoutError('redis PING', 1500));
    await expect(pending).rejects.toThrow('redis PING timed out after 1500 ms');
    expect(onTimeout).toHaveBeenCalledTimes(1);
  });

  it('ignores a late rejection of work that already timed out', async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<never>((_, reject) => (fail = reject));
    const pending = withTimeout(work, 10, 'x');
    jest.advanceTimersByTime(10);
    await expect(pending).rejects.toBeInstanceOf(TimeoutError);
    fail(new Error('socket destroyed'));
    await expect(pending).rejects.toBeInstanceOf(TimeoutError);
  });
});
