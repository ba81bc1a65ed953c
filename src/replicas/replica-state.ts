import { describeFailure } from '../common/redact';
import type { ReplicaAnswer, ReplicaReadings, ReplicaRow } from './replica.probe';

/** One replica in the report: the item of the replicas check's `hosts` list. */
export interface ReplicaState {
  readonly host: string;
  readonly status: 'ok' | 'error';
  readonly lag_bytes: number | null;
  readonly lag_seconds: number | null;
  readonly streaming: boolean;
  readonly detail: string | null;
  /** Index signature for the check's result data. */
  readonly [field: string]: string | number | boolean | null;
}

/** `X/Y`, PostgreSQL's text form of a WAL position, as a byte offset; `undefined` when malformed. */
export function lsnBytes(lsn: string): bigint | undefined {
  const match = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i.exec(lsn);
  return match ? (BigInt(`0x${match[1]}`) << 32n) + BigInt(`0x${match[2]}`) : undefined;
}

/** Bytes from the replica's replay position to the primary's current one; `null` when either is unknown. */
function lagBytes(primaryLsn: string | undefined, replayed: string | null): number | null {
  const primary = primaryLsn === undefined ? undefined : lsnBytes(primaryLsn);
  const replica = replayed === null ? undefined : lsnBytes(replayed);
  if (primary === undefined || replica === undefined) return null;
  // Both are read at once: the primary may be read a moment before the replica replays past that point.
  return primary > replica ? Number(primary - replica) : 0;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * How long each replica's replay position has stood still behind what it received, as the service saw it: the lag
 * of a replica that has replayed no commit since it started, whose last replayed commit has no time to count from
 * (`pg_last_xact_replay_timestamp()` is `NULL`). A lower bound: it counts from the first evaluation that saw it.
 */
export class ReplayProgress {
  private readonly stuck = new Map<string, { readonly replayed: string; readonly since: number }>();

  /** Seconds `host`'s replay has stood still behind, as of `now` (ms); 0 when it moved or is caught up. */
  observe(host: string, { received, replayed }: Pick<ReplicaRow, 'received' | 'replayed'>, now: number): number {
    const behind = received !== null && replayed !== null && received !== replayed;
    const previous = this.stuck.get(host);
    if (!behind) {
      this.stuck.delete(host);
      return 0;
    }
    if (previous?.replayed === replayed) return (now - previous.since) / 1000;
    this.stuck.set(host, { replayed, since: now });
    return 0;
  }
}

/**
 * What the replica's answer means: its item in the report, `error` with a detail when it is unfit. `stuckSeconds`
 * ({@link ReplayProgress}) stands in for a replay lag PostgreSQL cannot date.
 */
export function replicaState(
  host: string,
  answer: ReplicaAnswer,
  primaryLsn: string | undefined,
  maxLagMs: number,
  stuckSeconds = 0,
): ReplicaState {
  if ('error' in answer) {
    return {
      host,
      status: 'error',
      lag_bytes: null,
      lag_seconds: null,
      streaming: false,
      detail: describeFailure('unreachable', answer.error),
    };
  }
  const { row } = answer;
  if (!row.in_recovery) {
    const detail = 'not a standby: pg_is_in_recovery() is false (promoted?)';
    return { host, status: 'error', lag_bytes: null, lag_seconds: null, streaming: false, detail };
  }
  const streaming = row.receiver === 'streaming' || (row.receiver === null && row.receiver_running);
  const undated = row.lag_seconds === null && stuckSeconds > 0 ? stuckSeconds : row.lag_seconds;
  const lag_seconds = undated === null ? null : round3(Math.max(0, undated));
  const receiver = row.receiver ?? (row.receiver_running ? 'running' : 'not running');
  const problem = !streaming
    ? `not streaming from the primary (WAL receiver ${receiver})`
    : lag_seconds !== null && lag_seconds * 1000 > maxLagMs
      ? `replay lag ${lag_seconds} s is over ${maxLagMs / 1000} s`
      : undefined;
  return {
    host,
    status: problem ? 'error' : 'ok',
    lag_bytes: lagBytes(primaryLsn, row.replayed),
    lag_seconds,
    streaming,
    detail: problem ?? null,
  };
}

/** Every replica of one evaluation, in the configured order, its replay progress noted in `progress`. */
export function replicaStates(
  { replicas, primaryLsn }: ReplicaReadings,
  maxLagMs: number,
  progress: ReplayProgress,
  now = Date.now(),
): ReplicaState[] {
  return replicas.map(({ endpoint, answer }) => {
    const stuck = 'row' in answer ? progress.observe(endpoint.address, answer.row, now) : 0;
    return replicaState(endpoint.address, answer, primaryLsn, maxLagMs, stuck);
  });
}

/** The check's detail when some replica is unfit: how many, then each one's address and why. */
export function replicasFailure(states: readonly ReplicaState[]): string | undefined {
  const failing = states.filter((state) => state.status === 'error');
  if (failing.length === 0) return undefined;
  const plural = states.length === 1 ? 'replica' : 'replicas';
  return `${failing.length} of ${states.length} ${plural} failing: ${failing.map((s) => `${s.host} ${s.detail}`).join('; ')}`;
}
