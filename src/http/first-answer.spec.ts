import { FakeAdapterHost } from '../../test/support/fake-adapter-host';
import { afterFirstAnswer } from './first-answer';

describe('afterFirstAnswer', () => {
  let adapter: FakeAdapterHost;
  let resolved: boolean;
  const watch = (quietMs = 250) => void afterFirstAnswer(adapter.host, quietMs).then(() => (resolved = true));

  beforeEach(() => {
    jest.useFakeTimers();
    adapter = new FakeAdapterHost();
    resolved = false;
  });
  afterEach(() => jest.useRealTimers());

  it('resolves once the first answer is sent, not when the request arrives', async () => {
    watch();
    adapter.listen();
    const send = adapter.answer();
    await jest.advanceTimersByTimeAsync(100);
    expect(resolved).toBe(false);
    send();
    await jest.advanceTimersByTimeAsync(0);
    expect(resolved).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves the quiet time after the app listens when nothing asks, and never before it listens', async () => {
    watch();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(resolved).toBe(false);
    adapter.listen();
    await jest.advanceTimersByTimeAsync(249);
    expect(resolved).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(resolved).toBe(true);
  });

  it('watches at once when the app listens already', async () => {
    adapter.listen();
    watch();
    adapter.answer()();
    await jest.advanceTimersByTimeAsync(0);
    expect(resolved).toBe(true);
  });
});
