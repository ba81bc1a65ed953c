import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DATABASE_SETTINGS, type DatabaseSettings } from '../database/database.settings';
import type { PostgresEndpoint } from '../database/postgres-url';
import { guardedClientClass, PostgresSession } from '../database/postgres-session';
import { PostgresWire } from '../database/postgres-wire';
import { PrimaryLocator } from '../database/primary-locator';
import { REPLICAS_SETTINGS, type ReplicasSettings } from './replicas.settings';

/**
 * What a replica says about itself, in one query. `lag_seconds` is the replay delay: 0 when everything received has
 * been replayed (an idle primary sends nothing, so the last replayed commit grows old without any lag), else the age
 * of the last replayed commit, `NULL` when none has been replayed since the replica started. The WAL receiver's
 * `status` is visible to `pg_monitor` / `pg_read_all_stats` only; others see just its `pid`, taken as running.
 * (When no commit has been replayed yet, {@link ReplayProgress} dates the lag from what the service saw itself.)
 */
export const REPLICA_QUERY = `
  SELECT pg_is_in_recovery() AS in_recovery,
         pg_last_wal_receive_lsn()::text AS received,
         pg_last_wal_replay_lsn()::text AS replayed,
         CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
              ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS lag_seconds,
         (SELECT status FROM pg_stat_wal_receiver) AS receiver,
         (SELECT pid FROM pg_stat_wal_receiver) IS NOT NULL AS receiver_running`;

/** The primary's current WAL position, which the bytes of lag are counted from. */
export const PRIMARY_QUERY = 'SELECT pg_current_wal_lsn()::text AS lsn';

/** One row of {@link REPLICA_QUERY}. */
export interface ReplicaRow {
  readonly in_recovery: boolean;
  readonly received: string | null;
  readonly replayed: string | null;
  readonly lag_seconds: number | null;
  readonly receiver: string | null;
  readonly receiver_running: boolean;
}

/** What one replica answered, or why it did not. */
export type ReplicaAnswer = { readonly row: ReplicaRow } | { readonly error: unknown };

/** One evaluation's readings: each replica's answer, in the configured order, and the primary's WAL position. */
export interface ReplicaReadings {
  readonly replicas: ReadonlyArray<{ readonly endpoint: PostgresEndpoint; readonly answer: ReplicaAnswer }>;
  /** `undefined` when no writable primary is known or it did not answer. */
  readonly primaryLsn?: string;
}

/**
 * The only PostgreSQL I/O of the replicas check: one kept connection to each replica, and one to the primary the
 * database check uses (the {@link PrimaryLocator}'s), all asked at once. Each replica is bounded by `budgetMs`, a
 * little under the check's timeout, so a hung replica is reported as such beside the others' readings instead of
 * taking the whole check down with it.
 */
@Injectable()
export class ReplicaProbe implements OnApplicationShutdown {
  private readonly sessions: ReadonlyMap<PostgresEndpoint, PostgresSession>;
  private primary?: { readonly endpoint: PostgresEndpoint; readonly session: PostgresSession };
  private readonly timeoutMs: number;
  /** Guards the replicas' connections; a wire of its own, so a replica's violation is never the database check's. */
  private readonly clientClass = guardedClientClass(new PostgresWire());

  constructor(
    @Inject(REPLICAS_SETTINGS.token) settings: ReplicasSettings,
    @Inject(DATABASE_SETTINGS.token) database: DatabaseSettings,
    private readonly locator: PrimaryLocator,
  ) {
    this.timeoutMs = database.timeoutMs;
    this.sessions = new Map(settings.replicas.map((endpoint) => [endpoint, this.session(endpoint)]));
  }

  /** How long one replica may take: under the check's timeout, so the answers of the others are still reported. */
  get budgetMs(): number {
    return Math.max(1, this.timeoutMs - Math.min(100, Math.ceil(this.timeoutMs / 10)));
  }

  /** Asks every replica and the primary at once; never rejects (a failure is that replica's answer). */
  async read(signal: AbortSignal): Promise<ReplicaReadings> {
    const bounded = AbortSignal.any([signal, AbortSignal.timeout(this.budgetMs)]);
    const [primaryLsn, ...answers] = await Promise.all([
      this.primaryLsn(bounded),
      ...[...this.sessions.values()].map((session) =>
        session.query<ReplicaRow>(REPLICA_QUERY, bounded).then(
          ([row]): ReplicaAnswer => (row ? { row } : { error: new Error('the query returned no row') }),
          (error: unknown): ReplicaAnswer => ({ error: bounded.aborted && !signal.aborted ? this.noAnswer() : error }),
        ),
      ),
    ]);
    return {
      replicas: [...this.sessions.keys()].map((endpoint, index) => ({ endpoint, answer: answers[index] })),
      primaryLsn,
    };
  }

  /** Closes every connection without waiting on the servers. */
  onApplicationShutdown(): void {
    for (const session of this.sessions.values()) session.close();
    this.primary?.session.close();
  }

  private async primaryLsn(signal: AbortSignal): Promise<string | undefined> {
    try {
      // The server the database check uses (with several hosts, joining its scan when it has none yet).
      const endpoint = await this.locator.current(signal);
      if (this.primary?.endpoint !== endpoint) {
        // The database check moved to another server (a failover): so do the bytes of lag.
        this.primary?.session.close();
        this.primary = { endpoint, session: this.session(endpoint) };
      }
      const [row] = await this.primary.session.query<{ lsn: string }>(PRIMARY_QUERY, signal);
      return row?.lsn;
    } catch {
      // Unknown, not a failure of the replicas: the database check reports the primary.
      return undefined;
    }
  }

  private session(endpoint: PostgresEndpoint): PostgresSession {
    return new PostgresSession(endpoint.url, this.budgetMs, this.clientClass);
  }

  private noAnswer(): Error {
    return new Error(`no answer in ${this.budgetMs} ms`);
  }
}
