import { postgresEndpoints, type PostgresEndpoint } from './postgres-url';
import { findWritable, PrimaryLocator, ReadOnlyStandbyError, type RecoveryQuestion } from './primary-locator';

const [A, B, C] = postgresEndpoints('DATABASE_URL', 'postgres://app:Xq9Zk@a:5432,b:5432,c:5432/app');

/** What each host answers: a role at once, an error, or nothing until the question is aborted. */
type Role = 'primary' | 'standby' | Error | 'hang';

/** A question whose answers the test sets per host; it records the questions asked and their signals. */
function servers(roles: Record<string, Role>) {
  const asked: Array<{ address: string; signal: AbortSignal }> = [];
  const ask: RecoveryQuestion = (endpoint, signal) => {
    asked.push({ address: endpoint.address, signal });
    const role = roles[endpoint.address];
    if (role === 'hang') {
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    }
    if (role instanceof Error) return Promise.reject(role);
    return Promise.resolve(role === 'standby');
  };
  return { ask, asked, roles };
}

const never = new AbortController().signal;

describe('findWritable', () => {
  it('picks the first writable host in the order given, asking every host at once', async () => {
    const { ask, asked } = servers({ 'a:5432': 'standby', 'b:5432': 'primary', 'c:5432': 'primary' });
    await expect(findWritable([A, B, C], ask, 1000)).resolves.toBe(B);
    expect(asked.map(({ address }) => address)).toEqual(['a:5432', 'b:5432', 'c:5432']);
  });

  it('waits for a host listed before the writable one that answered, then aborts the questions left', async () => {
    const { ask, asked } = servers({ 'a:5432': 'hang', 'b:5432': 'primary', 'c:5432': 'hang' });
    const started = Date.now();
    await expect(findWritable([A, B, C], ask, 150)).resolves.toBe(B);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(asked.every(({ signal }) => signal.aborted)).toBe(true);
  });

  it('decides as soon as the hosts before the writable one have failed', async () => {
    const { ask } = servers({
      'a:5432': new Error('connect ECONNREFUSED a:5432'),
      'b:5432': 'primary',
      'c:5432': 'hang',
    });
    const started = Date.now();
    await expect(findWritable([A, B, C], ask, 5000)).resolves.toBe(B);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('says "read-only standby" when only standbys answered, naming why each host is not the one', async () => {
    const { ask } = servers({
      'a:5432': 'standby',
      'b:5432': new Error('connect ECONNREFUSED 10.0.0.2:5432'),
      'c:5432': 'hang',
    });
    const scan = findWritable([A, B, C], ask, 100);
    await expect(scan).rejects.toThrow(ReadOnlyStandbyError);
    await expect(scan).rejects.toThrow(
      'connected to a read-only standby: no writable host (a:5432 in recovery; b:5432 connect ' +
        'ECONNREFUSED 10.0.0.2:5432; c:5432 no answer in 100 ms)',
    );
  });

  it('says no host answered when none did, and echoes no password from an error', async () => {
    const { ask } = servers({
      'a:5432': new Error('password authentication failed for postgres://app:Xq9Zk@a:5432/app'),
      'b:5432': new Error('connect ECONNREFUSED 10.0.0.2:5432'),
    });
    const scan = findWritable([A, B], ask, 1000);
    await expect(scan).rejects.not.toThrow(ReadOnlyStandbyError);
    await expect(scan).rejects.toThrow(
      /^no host answered \(a:5432 password authentication failed for postgres:\/\/a:5432;/,
    );
    await expect(scan).rejects.not.toThrow(/Xq9Zk/);
  });
});

describe('PrimaryLocator', () => {
  it('with one host, uses it without asking anything, and has nothing to turn to', async () => {
    const { ask, asked } = servers({});
    const locator = new PrimaryLocator([A], 1000, ask);
    await expect(locator.current(never)).resolves.toBe(A);
    expect(locator.lost(A)).toBe(false);
    await expect(locator.current(never)).resolves.toBe(A);
    expect(locator.inUse).toBe(A);
    expect(asked).toEqual([]);
  });

  it('with several, scans once for concurrent callers, keeps the answer, and scans again after a loss', async () => {
    const { ask, asked, roles } = servers({ 'a:5432': 'standby', 'b:5432': 'primary' });
    const locator = new PrimaryLocator([A, B], 1000, ask);
    expect(locator.inUse).toBeUndefined();
    const found = await Promise.all([locator.current(never), locator.current(never)]);
    expect(found).toEqual([B, B]);
    await locator.current(never);
    expect(asked).toHaveLength(2);
    // The failover: b went down, a was promoted.
    roles['a:5432'] = 'primary';
    roles['b:5432'] = new Error('connect ECONNREFUSED');
    expect(locator.lost(B)).toBe(true);
    expect(locator.inUse).toBeUndefined();
    await expect(locator.current(never)).resolves.toBe(A);
    expect(asked).toHaveLength(4);
  });

  it('ignores the loss of a server it no longer uses', async () => {
    const { ask } = servers({ 'a:5432': 'primary', 'b:5432': 'standby' });
    const locator = new PrimaryLocator([A, B], 1000, ask);
    await locator.current(never);
    locator.lost(B);
    expect(locator.inUse).toBe(A);
  });

  it('lets a caller stop waiting while the scan runs on and serves the next caller', async () => {
    const { ask, asked, roles } = servers({ 'a:5432': 'hang', 'b:5432': 'primary' });
    const locator = new PrimaryLocator([A, B], 200, ask);
    const caller = new AbortController();
    const first = locator.current(caller.signal);
    caller.abort(new Error('check timed out'));
    await expect(first).rejects.toThrow('check timed out');
    roles['a:5432'] = 'standby';
    const endpoint: PostgresEndpoint = await locator.current(never);
    expect(endpoint).toBe(B);
    expect(asked).toHaveLength(2);
  });
});
