import { lsnBytes, ReplayProgress, replicasFailure, replicaState } from './replica-state';
import type { ReplicaRow } from './replica.probe';

const HOST = '10.0.0.6:5432';
/** A replica streaming and caught up at 0/3000000. */
const CAUGHT_UP: ReplicaRow = {
  in_recovery: true,
  received: '0/3000000',
  replayed: '0/3000000',
  lag_seconds: 0,
  receiver: 'streaming',
  receiver_running: true,
};
const state = (row: Partial<ReplicaRow>, primaryLsn: string | undefined = '0/3000000', maxLagMs = 10_000) =>
  replicaState(HOST, { row: { ...CAUGHT_UP, ...row } }, primaryLsn, maxLagMs);

describe('replicaState', () => {
  it('is ok when a standby streams and is within the lag, with the bytes it has yet to replay', () => {
    expect(state({}, '0/3000100')).toEqual({
      host: HOST,
      status: 'ok',
      lag_bytes: 256,
      lag_seconds: 0,
      streaming: true,
      detail: null,
    });
  });

  it('counts bytes across the 4 GiB boundary of the LSN, and never below 0', () => {
    expect(lsnBytes('1/0')! - lsnBytes('0/FFFFFFFF')!).toBe(1n);
    expect(state({ replayed: '1/10' }, '0/FFFFFFF0').lag_bytes).toBe(0);
    expect(state({ replayed: '0/FFFFFFF0' }, '1/10').lag_bytes).toBe(32);
    expect(lsnBytes('not an lsn')).toBeUndefined();
  });

  it('is an error over HEALTH_REPLICA_MAX_LAG_MS, saying by how much', () => {
    expect(state({ lag_seconds: 12.34567 })).toMatchObject({
      status: 'error',
      lag_seconds: 12.346,
      detail: 'replay lag 12.346 s is over 10 s',
    });
    expect(state({ lag_seconds: 9.9 }).status).toBe('ok');
  });

  it('reports a lag it cannot read (no transaction replayed yet) as null without failing on it', () => {
    expect(state({ lag_seconds: null })).toMatchObject({ status: 'ok', lag_seconds: null });
  });

  it('reports bytes it cannot count (no primary to ask) as null', () => {
    const answer = { row: CAUGHT_UP };
    expect(replicaState(HOST, answer, undefined, 10_000)).toMatchObject({ status: 'ok', lag_bytes: null });
  });

  it('is an error when not streaming, naming the receiver state', () => {
    expect(state({ receiver: null, receiver_running: false })).toMatchObject({
      status: 'error',
      streaming: false,
      detail: 'not streaming from the primary (WAL receiver not running)',
    });
    expect(state({ receiver: 'waiting' }).detail).toBe('not streaming from the primary (WAL receiver waiting)');
  });

  it('takes a running receiver whose state it may not read (no pg_monitor) as streaming', () => {
    expect(state({ receiver: null, receiver_running: true })).toMatchObject({ status: 'ok', streaming: true });
  });

  it('is an error when the server is no standby (promoted), with no lag to speak of', () => {
    expect(state({ in_recovery: false })).toEqual({
      host: HOST,
      status: 'error',
      lag_bytes: null,
      lag_seconds: null,
      streaming: false,
      detail: 'not a standby: pg_is_in_recovery() is false (promoted?)',
    });
  });

  it('is an error when unreachable, with the reason redacted', () => {
    const answer = { error: new Error('password authentication failed: postgres://app:Xq9Zk@10.0.0.6:5432/app') };
    expect(replicaState(HOST, answer, '0/1', 10_000)).toEqual({
      host: HOST,
      status: 'error',
      lag_bytes: null,
      lag_seconds: null,
      streaming: false,
      detail: 'unreachable: password authentication failed: postgres://10.0.0.6:5432',
    });
  });
});

describe('ReplayProgress: the lag of a replica PostgreSQL cannot date', () => {
  const behind = { received: '0/3000100', replayed: '0/3000000' };

  it('counts from the first evaluation that saw the replay stand still behind, and starts over when it moves', () => {
    const progress = new ReplayProgress();
    expect(progress.observe(HOST, behind, 1_000)).toBe(0);
    expect(progress.observe(HOST, behind, 3_500)).toBe(2.5);
    expect(progress.observe(HOST, { received: '0/3000200', replayed: '0/3000080' }, 4_000)).toBe(0);
    expect(progress.observe(HOST, { received: '0/3000200', replayed: '0/3000200' }, 9_000)).toBe(0);
    expect(progress.observe(HOST, behind, 9_500)).toBe(0);
    expect(progress.observe('10.0.0.7:5432', behind, 9_600)).toBe(0);
  });

  it('stands in for a NULL replay time only: a replica stuck since its start is an error once over the lag', () => {
    const undated = { row: { ...CAUGHT_UP, ...behind, lag_seconds: null } };
    expect(replicaState(HOST, undated, '0/3000100', 1_000, 0)).toMatchObject({ status: 'ok', lag_seconds: null });
    expect(replicaState(HOST, undated, '0/3000100', 1_000, 2.5)).toMatchObject({
      status: 'error',
      lag_seconds: 2.5,
      detail: 'replay lag 2.5 s is over 1 s',
    });
    const dated = { row: { ...CAUGHT_UP, ...behind, lag_seconds: 0.4 } };
    expect(replicaState(HOST, dated, '0/3000100', 1_000, 2.5)).toMatchObject({ status: 'ok', lag_seconds: 0.4 });
  });
});

describe('replicasFailure', () => {
  it('says how many replicas fail, then which and why; nothing when all are ok', () => {
    const ok = state({});
    const lagging = replicaState('10.0.0.7:5432', { row: { ...CAUGHT_UP, lag_seconds: 42.5 } }, '0/3000000', 10_000);
    expect(replicasFailure([ok, ok])).toBeUndefined();
    expect(replicasFailure([ok, lagging])).toBe(
      '1 of 2 replicas failing: 10.0.0.7:5432 replay lag 42.5 s is over 10 s',
    );
  });
});
