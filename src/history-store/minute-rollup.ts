import type { HealthReportDto } from '../health';

/** The name of the service's own row, beside one row per check. */
export const SERVICE = 'service';
/** A minute in milliseconds: rows are keyed by epoch minute (UTC). */
export const MINUTE_MS = 60_000;
/**
 * Latencies kept per row and minute for its percentiles. Beyond it (more than 1000 evaluations in one minute, a
 * cache TTL of 0 under a probe storm) a uniform sample of them stands in: memory stays bounded whatever the rate.
 */
export const MAX_SAMPLES = 1000;

/** One row of the history: a check, or the service, during one minute; latencies in microseconds. */
export interface MinuteRow {
  /** Epoch minute (UTC): `Math.floor(ms / 60000)`. */
  readonly minute: number;
  /** The check's key, or {@link SERVICE}. */
  readonly name: string;
  readonly evaluations: number;
  /** Evaluations that failed: the check was `error`; for the service, it was `unhealthy`. */
  readonly failures: number;
  readonly p50Us: number;
  readonly p95Us: number;
  readonly maxUs: number;
}

/** The epoch minute of `ms`. */
export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS);

/** The nearest-rank `p` percentile of ascending `sorted` (not empty). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(Math.ceil(p * sorted.length) - 1, 0)];
}

/** One row being aggregated. */
class Aggregate {
  evaluations = 0;
  failures = 0;
  maxUs = 0;
  readonly samples: number[] = [];

  add(latencyUs: number, failed: boolean, random: () => number): void {
    this.evaluations++;
    if (failed) this.failures++;
    this.maxUs = Math.max(this.maxUs, latencyUs);
    if (this.samples.length < MAX_SAMPLES) this.samples.push(latencyUs);
    else {
      // Reservoir sampling: every evaluation of the minute has the same chance to be among the samples.
      const slot = Math.floor(random() * this.evaluations);
      if (slot < MAX_SAMPLES) this.samples[slot] = latencyUs;
    }
  }

  row(minute: number, name: string): MinuteRow {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const { evaluations, failures, maxUs } = this;
    return {
      minute,
      name,
      evaluations,
      failures,
      p50Us: percentile(sorted, 0.5),
      p95Us: percentile(sorted, 0.95),
      maxUs,
    };
  }
}

/**
 * Folds evaluations into one row per check and minute, plus the service's row, in memory: the file is written from
 * here in batches (closed minutes), never on a probe's path. Pure: the caller passes the time.
 */
export class MinuteRollup {
  private readonly minutes = new Map<number, Map<string, Aggregate>>();

  constructor(private readonly random: () => number = Math.random) {}

  /** Adds the report of an evaluation that finished at `at` (epoch ms). */
  add(report: HealthReportDto, at: number): void {
    const minute = minuteOf(at);
    let rows = this.minutes.get(minute);
    if (!rows) this.minutes.set(minute, (rows = new Map<string, Aggregate>()));
    let slowest = 0;
    for (const [name, check] of Object.entries(report.checks)) {
      this.aggregate(rows, name).add(toMicroseconds(check.latency_ms), check.status !== 'ok', this.random);
      slowest = Math.max(slowest, check.latency_ms);
    }
    // The report costs about its slowest probe (they run concurrently): that is the service's latency.
    this.aggregate(rows, SERVICE).add(toMicroseconds(slowest), report.status === 'unhealthy', this.random);
  }

  /** The rows of the minutes before the minute of `at`, which are final, removed from memory. */
  takeClosed(at: number): MinuteRow[] {
    const current = minuteOf(at);
    return this.take((minute) => minute < current);
  }

  /** Every row, the current minute's too (at shutdown), removed from memory. */
  takeAll(): MinuteRow[] {
    return this.take(() => true);
  }

  /** Every row so far, left in place: what a read adds to the file's rows. */
  pending(): MinuteRow[] {
    return [...this.minutes].flatMap(([minute, rows]) => [...rows].map(([name, row]) => row.row(minute, name)));
  }

  private take(closed: (minute: number) => boolean): MinuteRow[] {
    const rows: MinuteRow[] = [];
    for (const [minute, aggregates] of this.minutes) {
      if (!closed(minute)) continue;
      for (const [name, aggregate] of aggregates) rows.push(aggregate.row(minute, name));
      this.minutes.delete(minute);
    }
    return rows;
  }

  private aggregate(rows: Map<string, Aggregate>, name: string): Aggregate {
    let aggregate = rows.get(name);
    if (!aggregate) rows.set(name, (aggregate = new Aggregate()));
    return aggregate;
  }
}

/** Milliseconds as whole microseconds: integers take 1 to 4 bytes in SQLite where a REAL takes 8. */
function toMicroseconds(ms: number): number {
  return Math.max(Math.round(ms * 1000), 0);
}
