import { describeError } from '../common/redact';
import { untilAborted } from '../common/timeout';
import type { PostgresEndpoint } from './postgres-url';
import { type ClientClass, PostgresSession } from './postgres-session';

/** The server answered, but is a standby in recovery: it cannot take a single write. */
export class ReadOnlyStandbyError extends Error {
  override name = 'ReadOnlyStandbyError';
}

/** Whether the server at `endpoint` is in recovery (`pg_is_in_recovery()`), asked within `signal`. */
export type RecoveryQuestion = (endpoint: PostgresEndpoint, signal: AbortSignal) => Promise<boolean>;

/** What one host of a scan answered; `undefined` while it has not. */
type Answer = { readonly writable: boolean } | { readonly error: unknown } | undefined;

/**
 * Asks on a connection of its own, closed afterwards (a scan happens at start and after a failure, not per probe),
 * made of `clientClass` ({@link guardedClientClass}).
 */
export function recoveryOnOwnConnection(timeoutMs: number, clientClass: () => Promise<ClientClass>): RecoveryQuestion {
  return async (endpoint, signal) => {
    const session = new PostgresSession(endpoint.url, timeoutMs, clientClass);
    try {
      const [row] = await session.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery', signal);
      return row?.in_recovery === true;
    } finally {
      session.close();
    }
  };
}

/**
 * Finds the server the check should use among `endpoints`, as libpq's `target_session_attrs=read-write` does: the
 * first writable one in the order given. Every host is asked at once, so a dead host costs no more than a live one;
 * a host is chosen once every host before it has answered (or failed), or at `timeoutMs`, the first writable one that
 * answered by then. Rejects with a {@link ReadOnlyStandbyError} when only standbys answered, else with an error
 * listing why each host failed. Questions still open when it settles are aborted.
 */
export function findWritable(
  endpoints: readonly PostgresEndpoint[],
  ask: RecoveryQuestion,
  timeoutMs: number,
): Promise<PostgresEndpoint> {
  return new Promise((resolve, reject) => {
    const stop = new AbortController();
    const answers: Answer[] = endpoints.map(() => undefined);
    let settled = false;
    const settle = (outcome: () => void): void => {
      settled = true;
      clearTimeout(timer);
      stop.abort(new Error('the scan has settled'));
      outcome();
    };
    const decide = (final: boolean): void => {
      if (settled) return;
      for (const [index, answer] of answers.entries()) {
        if (answer === undefined && !final) return; // a host listed before may still be the writable one
        if (answer && 'writable' in answer && answer.writable) return settle(() => resolve(endpoints[index]));
      }
      settle(() => reject(noWritableHost(endpoints, answers, timeoutMs)));
    };
    const timer = setTimeout(() => decide(true), timeoutMs);
    endpoints.forEach((endpoint, index) => {
      Promise.resolve()
        .then(() => ask(endpoint, stop.signal))
        .then(
          (inRecovery) => (answers[index] = { writable: !inRecovery }),
          (error: unknown) => (answers[index] = { error }),
        )
        .finally(() => decide(false))
        .catch(() => undefined);
    });
  });
}

function noWritableHost(endpoints: readonly PostgresEndpoint[], answers: readonly Answer[], timeoutMs: number): Error {
  const why = endpoints.map(({ address }, index) => {
    const answer = answers[index];
    if (answer === undefined) return `${address} no answer in ${timeoutMs} ms`;
    return 'error' in answer ? `${address} ${describeError(answer.error)}` : `${address} in recovery`;
  });
  const standby = answers.some((answer) => answer !== undefined && 'writable' in answer);
  return standby
    ? new ReadOnlyStandbyError(`connected to a read-only standby: no writable host (${why.join('; ')})`)
    : new Error(`no host answered (${why.join('; ')})`);
}

/**
 * Which server of `DATABASE_URL` the database check uses. With one host, always that one: the probe itself tells a
 * standby by asking `pg_is_in_recovery()`. With several, the first writable one ({@link findWritable}), found at the
 * first probe and again after the server in use failed or turned out to be a standby, so a failover is followed
 * without a restart. One scan at a time, shared by every caller; it runs to its own deadline (half the check's
 * timeout) even when the probe that started it gave up, so the next probe finds its answer.
 */
export class PrimaryLocator {
  private chosen?: PostgresEndpoint;
  private scanning?: Promise<PostgresEndpoint>;

  constructor(
    /** The servers of `DATABASE_URL`, in its order. */
    readonly endpoints: readonly PostgresEndpoint[],
    private readonly timeoutMs: number,
    /** How a host is asked; {@link recoveryOnOwnConnection} in the app. */
    private readonly ask: RecoveryQuestion,
  ) {
    if (endpoints.length === 0) throw new Error('PrimaryLocator needs at least one server');
    if (endpoints.length === 1) this.chosen = endpoints[0];
  }

  /**
   * How long a scan waits on a silent host (a partitioned primary): half the check's timeout, so the probe that
   * scanned still has time to use the host it found.
   */
  private get scanTimeoutMs(): number {
    return Math.max(1, Math.floor(this.timeoutMs / 2));
  }

  /** Whether there is another server to turn to when the one in use fails. */
  get multiHost(): boolean {
    return this.endpoints.length > 1;
  }

  /** The server last found writable, or the only one; `undefined` while a multi-host URL has none. */
  get inUse(): PostgresEndpoint | undefined {
    return this.chosen;
  }

  /** The server to use now; with several hosts and none chosen, waits (within `signal`) for a scan to find one. */
  current(signal: AbortSignal): Promise<PostgresEndpoint> {
    if (this.chosen) return Promise.resolve(this.chosen);
    const scan = (this.scanning ??= findWritable(this.endpoints, this.ask, this.scanTimeoutMs)
      .then((endpoint) => (this.chosen = endpoint))
      .finally(() => (this.scanning = undefined)));
    return untilAborted(scan, signal);
  }

  /**
   * The server in use failed (a connection error, a timeout) or is a standby: with several hosts, the next
   * {@link current} scans again. Answers whether another host may be found.
   */
  lost(endpoint: PostgresEndpoint): boolean {
    if (!this.multiHost) return false;
    if (this.chosen === endpoint) this.chosen = undefined;
    return true;
  }
}
