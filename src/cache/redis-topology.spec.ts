import {
  clusterFailure,
  clusterView,
  countUpReplicas,
  readClusterInfo,
  readMasterAddress,
  sentinelView,
  type ClusterView,
} from './redis-topology';

const replica = (flags: string) => ['name', '127.0.0.1:6380', 'ip', '127.0.0.1', 'port', '6380', 'flags', flags];

describe('sentinelView', () => {
  it('names the master most sentinels name, with the replicas one of them sees, and counts who answered', () => {
    const a = { master: '10.0.0.6:6379', replicas: 1 };
    const b = { master: '10.0.0.5:6379', replicas: 2 };
    expect(sentinelView([b, a, undefined, { ...a, replicas: 0 }])).toEqual({
      mode: 'sentinel',
      master: '10.0.0.6:6379',
      replicas: 1,
      sentinels: 4,
      sentinels_reachable: 3,
    });
  });

  it('takes the first sentinel’s master on a tie (mid-failover), and leaves out a master nobody names', () => {
    const a = { master: '10.0.0.5:6379', replicas: 1 };
    const b = { master: '10.0.0.6:6379', replicas: 0 };
    expect(sentinelView([a, b])).toMatchObject({ master: '10.0.0.5:6379', replicas: 1 });
    expect(sentinelView([undefined, { master: null, replicas: 0 }])).toEqual({
      mode: 'sentinel',
      sentinels: 2,
      sentinels_reachable: 1,
    });
    expect(sentinelView([undefined, undefined, undefined])).toEqual({
      mode: 'sentinel',
      sentinels: 3,
      sentinels_reachable: 0,
    });
  });
});

describe('sentinel replies', () => {
  it('reads the master’s address, brackets around IPv6, null for a name the sentinel does not monitor', () => {
    expect(readMasterAddress(['127.0.0.1', '6390'])).toBe('127.0.0.1:6390');
    expect(readMasterAddress(['::1', '6390'])).toBe('[::1]:6390');
    expect(readMasterAddress(null)).toBeNull();
  });

  it.each([[['127.0.0.1']], [['h', 'port']], ['127.0.0.1:6379'], [[1, 2]], [['bad host\r\n', '1']]])(
    'refuses %j as an address',
    (reply) => {
      expect(() => readMasterAddress(reply)).toThrow(/something else than an address/);
    },
  );

  it('counts the replicas that are up: not s_down, o_down or disconnected', () => {
    expect(
      countUpReplicas([
        replica('slave'),
        replica('s_down,slave'),
        replica('slave,disconnected'),
        replica('o_down,slave'),
        replica('slave'),
        ['name', 'flags'], // "flags" as a value, not a name: no flags at all
        'junk',
      ]),
    ).toBe(2);
    expect(countUpReplicas([])).toBe(0);
    expect(() => countUpReplicas('ERR')).toThrow(/something else than a list/);
  });
});

const INFO_OK = [
  'cluster_state:ok',
  'cluster_slots_assigned:16384',
  'cluster_slots_ok:16384',
  'cluster_slots_pfail:0',
  'cluster_slots_fail:0',
  'cluster_known_nodes:6',
  'cluster_size:3',
  '',
].join('\r\n');

describe('CLUSTER INFO', () => {
  it('reads the state, the slots and the known nodes', () => {
    expect(readClusterInfo(INFO_OK)).toEqual({
      mode: 'cluster',
      cluster_state: 'ok',
      slots_assigned: 16384,
      slots_ok: 16384,
      slots_pfail: 0,
      slots_fail: 0,
      nodes: 6,
    });
    expect(readClusterInfo(Buffer.from(INFO_OK.replace('cluster_state:ok', 'cluster_state:fail')))).toMatchObject({
      cluster_state: 'fail',
    });
  });

  it.each([
    [42, /something else than text/],
    ['', /no cluster_state/],
    [INFO_OK.replace('cluster_state:ok', 'cluster_state:<b>'), /no cluster_state/],
    [INFO_OK.replace('cluster_slots_ok:16384', 'cluster_slots_ok:-1'), /no cluster_slots_ok/],
    [INFO_OK.replace('cluster_known_nodes:6\r\n', ''), /no cluster_known_nodes/],
  ])('refuses %j', (reply, message) => {
    expect(() => readClusterInfo(reply)).toThrow(message);
  });

  const ok = readClusterInfo(INFO_OK);
  const failed: ClusterView = { ...ok, cluster_state: 'fail', slots_ok: 10923, slots_fail: 5461, nodes: 3 };

  it('reports the cluster as the first node that sees it failing, else the first node', () => {
    expect(clusterView([ok, failed, { ...failed, nodes: 9 }])).toEqual({ ...failed, nodes_reachable: 3 });
    expect(clusterView([ok, { ...ok, nodes: 9 }])).toEqual({ ...ok, nodes_reachable: 2 });
    expect(clusterView([])).toBeUndefined();
  });

  it('says why the cluster fails: the slots that are ok, failing, suspected or unassigned', () => {
    expect(clusterFailure(failed)).toBe('cluster_state is fail: 10923 of 16384 slots ok (5461 failing)');
    expect(clusterFailure({ ...failed, slots_pfail: 100, slots_assigned: 16000, slots_ok: 10439 })).toBe(
      'cluster_state is fail: 10439 of 16384 slots ok (5461 failing, 100 suspected (PFAIL), 384 unassigned)',
    );
  });
});
