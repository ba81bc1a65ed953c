import type { PostFn, PostOutcome } from './http-post';
import { testPayload } from './notification';
import { parseTarget } from './notify-target';
import { DeliveryJob, DeliveryOptions, DeliveryReport, TargetQueue, withoutSecretsOf } from './target-queue';

const TARGET = parseTarget('HEALTH_NOTIFY_URLS', 'slack+https://hooks.slack.com/services/T0/B0/SeCrEt', 0);

/** A post whose answers the test gives one by one; every call waits for its answer (or the abort signal). */
class FakePost {
  readonly calls: Array<{ body: string; answer: (outcome: PostOutcome) => void }> = [];
  readonly post: PostFn = (_url, { body }, { signal }) =>
    new Promise((resolve) => {
      this.calls.push({ body, answer: resolve });
      signal?.addEventListener('abort', () =>
        resolve({ kind: 'failed', problem: 'cancelled', timedOut: false, ms: 0 }),
      );
    });

  async nextCall(count: number): Promise<void> {
    while (this.calls.length < count) await new Promise((resolve) => setImmediate(resolve));
  }
}

const answered = (status: number): PostOutcome => ({ kind: 'answered', status, ms: 1 });
const job = (id: string): DeliveryJob => ({
  payload: testPayload({ service: 's', version: '1' }, 0, id),
  rendered: { headers: {}, body: id },
});

function queue(fake: FakePost, options: Partial<DeliveryOptions> = {}) {
  const reports: DeliveryReport[] = [];
  const settled = () => reports.map((r) => `${r.payload.id} ${r.result} ${r.tries}${r.problem ? ` ${r.problem}` : ''}`);
  const q = new TargetQueue(
    TARGET,
    { timeoutMs: 5000, tries: 3, backoffMs: () => 1, userAgent: 'test', post: fake.post, ...options },
    (report) => reports.push(report),
  );
  const until = async (count: number) => {
    while (reports.length < count) await new Promise((resolve) => setImmediate(resolve));
    return settled();
  };
  return { q, until, settled };
}

describe('TargetQueue', () => {
  it('retries a failing receiver with backoff and reports it sent on the third try', async () => {
    const fake = new FakePost();
    const { q, until } = queue(fake);
    q.push(job('a'));
    await fake.nextCall(1);
    fake.calls[0].answer(answered(500));
    await fake.nextCall(2);
    fake.calls[1].answer({ kind: 'failed', problem: 'timed out after 5000 ms', timedOut: true, ms: 5000 });
    await fake.nextCall(3);
    fake.calls[2].answer(answered(204));
    expect(await until(1)).toEqual(['a sent 3']);
    expect(fake.calls.map((c) => c.body)).toEqual(['a', 'a', 'a']);
    expect(q.busy).toBe(false);
  });

  it('gives up after the last try, and at once on an answer a retry cannot change', async () => {
    const fake = new FakePost();
    const { q, until } = queue(fake);
    q.push(job('a'));
    for (let i = 0; i < 3; i++) {
      await fake.nextCall(i + 1);
      fake.calls[i].answer(answered(503));
    }
    expect(await until(1)).toEqual(['a failed 3 HTTP 503']);
    q.push(job('b'));
    await fake.nextCall(4);
    fake.calls[3].answer(answered(404));
    expect(await until(2)).toEqual(['a failed 3 HTTP 503', 'b failed 1 HTTP 404']);
  });

  it('has one delivery in flight at a time; a newer notification replaces the one waiting', async () => {
    const fake = new FakePost();
    const { q, until } = queue(fake);
    q.push(job('a'));
    await fake.nextCall(1);
    q.push(job('b'));
    q.push(job('c'));
    expect(await until(1)).toEqual(['b dropped 0 a newer notification replaced it']);
    expect(fake.calls).toHaveLength(1);
    fake.calls[0].answer(answered(200));
    await fake.nextCall(2);
    expect(fake.calls[1].body).toBe('c');
    fake.calls[1].answer(answered(200));
    expect(await until(3)).toEqual(['b dropped 0 a newer notification replaced it', 'a sent 1', 'c sent 1']);
  });

  it('at close, lets the delivery in flight finish within the grace and drops the waiting one', async () => {
    const fake = new FakePost();
    const { q, until } = queue(fake);
    q.push(job('a'));
    await fake.nextCall(1);
    q.push(job('b'));
    const closed = q.close(10_000);
    fake.calls[0].answer(answered(200));
    await closed;
    expect(await until(2)).toEqual(['b dropped 0 the service is shutting down', 'a sent 1']);
    q.push(job('c'));
    expect(await until(3)).toContain('c dropped 0 the service is shutting down');
  });

  it('at close, cancels a delivery still in flight when the grace is over', async () => {
    const fake = new FakePost();
    const { q, until } = queue(fake);
    q.push(job('a'));
    await fake.nextCall(1);
    const started = performance.now();
    await q.close(50);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await until(1)).toEqual(['a dropped 1 cancelled at shutdown after cancelled']);
    expect(q.busy).toBe(false);
  });

  it('cuts any piece of the URL that may be secret out of a problem', () => {
    const url = 'https://user:p%40ss@hooks.example.com/services/SeCrEt?token=abc123';
    expect(withoutSecretsOf(url, `failed at ${url}`)).toBe('failed at …');
    expect(withoutSecretsOf(url, 'bad /services/SeCrEt?token=abc123 and p@ss')).toBe('bad … and …');
    expect(withoutSecretsOf(url, 'connect ECONNREFUSED 127.0.0.1:443')).toBe('connect ECONNREFUSED 127.0.0.1:443');
  });
});
