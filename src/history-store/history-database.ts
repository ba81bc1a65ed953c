import { mkdirSync } from 'node:fs';
import { DatabaseSync, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import type { OverallStatus } from '../health';
import type { MinuteRow } from './minute-rollup';

/** The file in `HEALTH_DATA_DIR`. */
export const DATABASE_FILE = 'health.db';
/** `PRAGMA user_version` of the schema below; a file from a newer version is left alone. */
const SCHEMA_VERSION = 1;

/*
 * minutes: one row per check (and `service`) per minute, keyed and clustered by (minute, name), so a window is one
 * range scan. days: the same counted per UTC day (minutes evaluated, minutes up), kept in step with every minute
 * written, so 30 days of uptime read 30 rows per name instead of 43,200. Latencies in whole microseconds.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS minutes (
  minute INTEGER NOT NULL,
  name TEXT NOT NULL,
  evaluations INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  p50_us INTEGER NOT NULL,
  p95_us INTEGER NOT NULL,
  max_us INTEGER NOT NULL,
  PRIMARY KEY (minute, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days (
  day INTEGER NOT NULL,
  name TEXT NOT NULL,
  minutes INTEGER NOT NULL,
  up INTEGER NOT NULL,
  PRIMARY KEY (day, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transitions (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  reason TEXT
);
CREATE INDEX IF NOT EXISTS transitions_at ON transitions (at);
`;

/** A status transition as the file keeps it: `at` in epoch ms. */
export interface StoredTransition {
  readonly at: number;
  readonly from: OverallStatus | null;
  readonly to: OverallStatus;
  readonly reason: string | null;
}

/** Counts of one name, over a range of minutes or on one day. */
export interface CountRow {
  readonly name: string;
  readonly minutes: number;
  readonly up: number;
}

/** What a purge deleted. */
export interface Purged {
  readonly minutes: number;
  readonly transitions: number;
}

type Row = Record<string, SQLOutputValue>;

const num = (value: SQLOutputValue): number => Number(value);
const str = (value: SQLOutputValue): string => String(value);

/**
 * `health.db` through Node's built-in SQLite (no server, no native build): the only code that touches the file.
 * Every statement is prepared once. WAL, so readers never wait for the writer; `synchronous = NORMAL`, so a commit
 * costs no fsync (a power cut may lose the last seconds, never the file). Synchronous calls: each one is a few rows,
 * done in well under a millisecond, and batched by the caller off the probes' path.
 */
export class HistoryDatabase {
  private readonly statements: Record<
    | 'minuteFailures'
    | 'insertMinute'
    | 'mergeMinute'
    | 'addDay'
    | 'insertTransition'
    | 'latestTransitions'
    | 'countsInRange'
    | 'countsByDay'
    | 'failuresFrom'
    | 'purgeMinutes'
    | 'purgeDays'
    | 'purgeTransitions',
    StatementSync
  >;

  private constructor(private readonly db: DatabaseSync) {
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      minuteFailures: prepare('SELECT failures FROM minutes WHERE minute = ? AND name = ?'),
      insertMinute: prepare('INSERT INTO minutes VALUES (?, ?, ?, ?, ?, ?, ?)'),
      // A minute shared with a process that ran earlier in it (a restart): counts add up, the maximum stands, and
      // the percentiles are the worse of the two, an estimate good enough for the one minute of a restart.
      mergeMinute: prepare(
        `UPDATE minutes SET evaluations = evaluations + ?, failures = failures + ?, p50_us = max(p50_us, ?),
         p95_us = max(p95_us, ?), max_us = max(max_us, ?) WHERE minute = ? AND name = ?`,
      ),
      addDay: prepare(
        `INSERT INTO days VALUES (?, ?, ?, ?)
         ON CONFLICT (day, name) DO UPDATE SET minutes = minutes + excluded.minutes, up = up + excluded.up`,
      ),
      insertTransition: prepare('INSERT INTO transitions (at, from_status, to_status, reason) VALUES (?, ?, ?, ?)'),
      latestTransitions: prepare(
        'SELECT at, from_status, to_status, reason FROM transitions WHERE at >= ? ORDER BY id DESC LIMIT ?',
      ),
      countsInRange: prepare(
        `SELECT name, count(*) AS minutes, sum(failures = 0) AS up FROM minutes
         WHERE minute >= ? AND minute <= ? GROUP BY name`,
      ),
      countsByDay: prepare('SELECT day, name, minutes, up FROM days WHERE day >= ? AND day <= ?'),
      failuresFrom: prepare('SELECT minute, name, failures FROM minutes WHERE minute >= ?'),
      purgeMinutes: prepare('DELETE FROM minutes WHERE minute < ?'),
      purgeDays: prepare('DELETE FROM days WHERE day < ?'),
      purgeTransitions: prepare('DELETE FROM transitions WHERE at < ?'),
    };
  }

  /**
   * Opens (creating it and its folder when missing) the file at `path`, or a database in memory for `:memory:`.
   * Throws when it cannot be used: a folder that cannot be created or written, a file that is not a database
   * (corrupt) or one written by a newer version. It takes the write lock once to prove it can write.
   */
  static open(path: string, folder?: string): HistoryDatabase {
    if (folder) mkdirSync(folder, { recursive: true });
    const db = new DatabaseSync(path);
    try {
      db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('BEGIN IMMEDIATE');
      try {
        const version = num((db.prepare('PRAGMA user_version').get() as Row).user_version);
        if (version > SCHEMA_VERSION) throw new Error(`written by a newer version (schema ${version})`);
        db.exec(SCHEMA);
        db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
        db.exec('COMMIT');
      } catch (error) {
        if (db.isTransaction) db.exec('ROLLBACK');
        throw error;
      }
      return new HistoryDatabase(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Writes closed minutes (each counted once in its day) and transitions, in one transaction. */
  write(rows: readonly MinuteRow[], transitions: readonly StoredTransition[]): void {
    const s = this.statements;
    this.db.exec('BEGIN');
    try {
      for (const row of rows) {
        const onFile = s.minuteFailures.get(row.minute, row.name);
        const day = Math.floor(row.minute / 1440);
        if (onFile) {
          s.mergeMinute.run(row.evaluations, row.failures, row.p50Us, row.p95Us, row.maxUs, row.minute, row.name);
          // The minute is counted already; it stops being up when this part of it failed.
          if (num(onFile.failures) === 0 && row.failures > 0) s.addDay.run(day, row.name, 0, -1);
        } else {
          s.insertMinute.run(row.minute, row.name, row.evaluations, row.failures, row.p50Us, row.p95Us, row.maxUs);
          s.addDay.run(day, row.name, 1, row.failures === 0 ? 1 : 0);
        }
      }
      for (const t of transitions) s.insertTransition.run(t.at, t.from, t.to, t.reason);
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The newest `limit` transitions at or after `since` (epoch ms), oldest first. */
  latestTransitions(limit: number, since: number): StoredTransition[] {
    const rows = this.statements.latestTransitions.all(since, limit) as Row[];
    return rows.reverse().map((row) => ({
      at: num(row.at),
      from: row.from_status === null ? null : (str(row.from_status) as OverallStatus),
      to: str(row.to_status) as OverallStatus,
      reason: row.reason === null ? null : str(row.reason),
    }));
  }

  /** Per name, the minutes on file from `from` to `to` (inclusive) and how many of them had no failure. */
  countsInRange(from: number, to: number): CountRow[] {
    return (this.statements.countsInRange.all(from, to) as Row[]).map(countRow);
  }

  /** Per day from `first` to `last` (epoch days, inclusive) and name, the minutes on file and those up. */
  countsByDay(first: number, last: number): Array<CountRow & { readonly day: number }> {
    return (this.statements.countsByDay.all(first, last) as Row[]).map((row) => ({
      day: num(row.day),
      ...countRow(row),
    }));
  }

  /** The failures of each minute on file from `from` on, by `minute:name`. */
  failuresFrom(from: number): Map<string, number> {
    const rows = this.statements.failuresFrom.all(from) as Row[];
    return new Map(rows.map((row) => [`${num(row.minute)}:${str(row.name)}`, num(row.failures)]));
  }

  /** Deletes what is older than `cutoff` (epoch ms): minutes, days that ended before it, transitions. */
  purge(cutoff: number): Purged {
    const s = this.statements;
    const minute = Math.floor(cutoff / 60_000);
    const minutes = Number(s.purgeMinutes.run(minute).changes);
    s.purgeDays.run(Math.floor(minute / 1440));
    const transitions = Number(s.purgeTransitions.run(cutoff).changes);
    return { minutes, transitions };
  }

  /** Closes the file (its WAL is checkpointed into it). */
  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

function countRow(row: Row): CountRow {
  return { name: str(row.name), minutes: num(row.minutes), up: num(row.up) };
}
