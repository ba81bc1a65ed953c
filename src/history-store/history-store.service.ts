import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { resolve } from 'node:path';
import type { Subscription } from 'rxjs';
import { failingChecks, HealthService, type HealthReportDto, type OverallStatus } from '../health';
import { DATABASE_FILE, HistoryDatabase, type StoredTransition } from './history-database';
import { HISTORY_STORE_SETTINGS, type HistoryStoreSettings } from './history-store.settings';
import { minuteOf, MinuteRollup, type MinuteRow, SERVICE } from './minute-rollup';
import {
  addPending,
  DAYS_SHOWN,
  dayOf,
  DayCounts,
  type DayUptime,
  daysOf,
  MINUTES_PER_DAY,
  type Uptime,
  uptimeOf,
  type UptimeWindow,
  windowStart,
} from './uptime';

/** How often buffered rows are written: closed minutes and transitions wait at most this long in memory. */
export const FLUSH_INTERVAL_MS = 5_000;
/** How often rows older than `HEALTH_RETENTION_DAYS` are deleted (the first time at the first flush). */
const PURGE_INTERVAL_MS = 3_600_000;
/** Rows kept for another try while writes fail (a full disk, a locked file): about a day of three checks. */
const MAX_RETRY_ROWS = 6_000;
/** Transitions kept for another try while writes fail. */
const MAX_RETRY_TRANSITIONS = 1_000;
const DAY_MS = 86_400_000;

/**
 * The durable history: follows every evaluation, folds it into per-minute rows in memory, and writes closed
 * minutes and transitions to `HEALTH_DATA_DIR/health.db` every few seconds and at shutdown, so neither a probe nor
 * an evaluation ever waits on the disk. When the file cannot be used (an unwritable folder, a corrupt file) it says
 * so once and keeps the same history in an in-memory database: everything works, nothing survives a restart.
 */
@Injectable()
export class HistoryStore implements OnApplicationShutdown {
  private readonly logger = new Logger('History');
  private readonly database: HistoryDatabase;
  /** Where the history is kept: the file's path, or `memory`. */
  readonly location: string;
  private readonly rollup = new MinuteRollup();
  private transitions: StoredTransition[] = [];
  private retry: MinuteRow[] = [];
  private lastStatus: OverallStatus | null = null;
  private lastPurge = 0;
  private writeFailing = false;
  private readonly following: Subscription;
  private readonly timer: NodeJS.Timeout;

  constructor(
    health: HealthService,
    @Inject(HISTORY_STORE_SETTINGS.token) private readonly settings: HistoryStoreSettings,
  ) {
    const folder = resolve(settings.dataDir);
    const path = resolve(folder, DATABASE_FILE);
    ({ database: this.database, location: this.location } = this.open(folder, path));
    this.following = health.evaluations$.subscribe(({ report }) => this.record(report, Date.now()));
    this.timer = setInterval(() => this.flush(Date.now()), FLUSH_INTERVAL_MS);
    // The timer only batches writes; the shutdown hook writes the rest, so it must not keep the process alive.
    this.timer.unref();
  }

  /** Whether the history survives a restart (it is in the file, not in memory). */
  get durable(): boolean {
    return this.location !== 'memory';
  }

  /** The newest `limit` transitions kept (not older than the retention), oldest first: the in-memory history's seed. */
  recentTransitions(limit: number, now = Date.now()): StoredTransition[] {
    const onFile = this.read(() => this.database.latestTransitions(limit, now - this.retentionMs), []);
    return [...onFile, ...this.transitions].slice(-limit);
  }

  /** Uptime over `window` (ending now) of `service` and of each of `checks`. */
  uptime(window: UptimeWindow, checks: readonly string[], now = Date.now()): Uptime {
    const minute = minuteOf(now);
    return uptimeOf(this.counts(windowStart(window, minute), minute), [SERVICE, ...checks]);
  }

  /** The last 30 UTC days, oldest first, today so far last, with the uptime of `service` and each of `checks`. */
  days(checks: readonly string[], now = Date.now()): DayUptime[] {
    const minute = minuteOf(now);
    const today = dayOf(minute);
    const first = today - DAYS_SHOWN + 1;
    return daysOf(this.counts(first * MINUTES_PER_DAY, minute), first, today, [SERVICE, ...checks]);
  }

  /** Writes what is buffered: the closed minutes and the transitions; every `FLUSH_INTERVAL_MS`. */
  flush(now: number, all = false): void {
    const rows = [...this.retry, ...(all ? this.rollup.takeAll() : this.rollup.takeClosed(now))];
    const transitions = this.transitions;
    this.retry = [];
    this.transitions = [];
    if (rows.length || transitions.length) this.write(rows, transitions);
    if (now - this.lastPurge >= PURGE_INTERVAL_MS) this.purge(now);
  }

  /** Writes everything, the current minute too, and closes the file: the last step of the shutdown. */
  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.following.unsubscribe();
    this.flush(Date.now(), true);
    this.database.close();
  }

  private get retentionMs(): number {
    return this.settings.retentionDays * DAY_MS;
  }

  private open(folder: string, path: string): { database: HistoryDatabase; location: string } {
    try {
      return { database: HistoryDatabase.open(path, folder), location: path };
    } catch (error) {
      this.logger.warn({
        message:
          `cannot keep the history in ${path} (${messageOf(error)}): keeping it in memory only, so uptime and ` +
          'transitions start again at every restart; set HEALTH_DATA_DIR to a writable folder',
        path,
      });
      return { database: HistoryDatabase.open(':memory:'), location: 'memory' };
    }
  }

  private record(report: HealthReportDto, at: number): void {
    this.rollup.add(report, at);
    if (report.status === this.lastStatus) return;
    const failing = failingChecks(report.checks);
    this.transitions.push({ at, from: this.lastStatus, to: report.status, reason: failing.join('; ') || null });
    this.lastStatus = report.status;
  }

  /**
   * Counts per day and name from minute `from` to `to` (inclusive): whole days from the daily table, a first day
   * that starts mid-day from its minutes, then what is still in memory.
   */
  private counts(from: number, to: number): DayCounts {
    const counts = new DayCounts();
    const firstDay = dayOf(from);
    const lastDay = dayOf(to);
    this.read(() => {
      const partial = from % MINUTES_PER_DAY !== 0;
      if (partial) {
        const end = Math.min((firstDay + 1) * MINUTES_PER_DAY - 1, to);
        for (const row of this.database.countsInRange(from, end)) counts.add(firstDay, row.name, row.minutes, row.up);
      }
      if (!partial || lastDay > firstDay) {
        for (const row of this.database.countsByDay(partial ? firstDay + 1 : firstDay, lastDay)) {
          counts.add(row.day, row.name, row.minutes, row.up);
        }
      }
    }, undefined);
    const pending = [...this.retry, ...this.rollup.pending()];
    if (pending.length) {
      const oldest = Math.min(...pending.map((row) => row.minute));
      addPending(
        counts,
        pending,
        this.read(() => this.database.failuresFrom(oldest), new Map()),
        from,
        to,
      );
    }
    return counts;
  }

  private write(rows: MinuteRow[], transitions: StoredTransition[]): void {
    try {
      this.database.write(rows, transitions);
      if (this.writeFailing) this.logger.log({ message: `writing the history to ${this.location} again` });
      this.writeFailing = false;
    } catch (error) {
      // Kept for the next flush, within a bound; said once, not every five seconds.
      this.retry = rows.slice(-MAX_RETRY_ROWS);
      this.transitions = [...transitions, ...this.transitions].slice(-MAX_RETRY_TRANSITIONS);
      if (!this.writeFailing) {
        this.logger.warn({ message: `cannot write the history to ${this.location}: ${messageOf(error)}; retrying` });
      }
      this.writeFailing = true;
    }
  }

  private purge(now: number): void {
    this.lastPurge = now;
    try {
      const purged = this.database.purge(now - this.retentionMs);
      if (purged.minutes || purged.transitions) {
        this.logger.log({
          message: `deleted ${purged.minutes} minute rows and ${purged.transitions} transitions older than ${this.settings.retentionDays} days`,
          ...purged,
        });
      }
    } catch (error) {
      this.logger.warn({ message: `cannot delete old history from ${this.location}: ${messageOf(error)}` });
    }
  }

  /** A read of the file; a failing one (the file broke under us) answers `fallback`, as if nothing were kept. */
  private read<T>(query: () => T, fallback: T): T {
    try {
      return query();
    } catch {
      return fallback;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
