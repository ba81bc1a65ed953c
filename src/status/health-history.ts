import { failingChecks, type HealthReportDto } from '../health';
import type { RecentHistory, SeriesPoint, SeriesUpdate, SeriesWindowDto } from './dto/history.dto';
import type { ResetReason } from './dto/reset-event.dto';
import type { TransitionDto } from './dto/transition.dto';
import type { HistoryPageQuery } from './history-query';
import { RingBuffer } from './ring-buffer';

/** How far back each check's latency series reaches. */
export const SERIES_WINDOW_MS = 15 * 60_000;
/** One point per second at most, so a full window is this many points, whatever the probe rate. */
const SERIES_CAPACITY = SERIES_WINDOW_MS / 1000;

/** What recording one evaluation produced: its event id, its points, and the transition when the status changed. */
export interface Recorded {
  readonly evaluationId: number;
  readonly series: SeriesUpdate;
  readonly transition?: TransitionDto;
}

/**
 * What a client that resumes after an event id gets: the transitions it missed (oldest first), or, when that is more
 * than the stream replays, some are no longer kept, or the id is not one this process gave, a reset with the latest
 * transitions (newest first, as the history lists them) for it to start over from.
 */
export type Resumption =
  | { readonly kind: 'replay'; readonly missed: TransitionDto[] }
  | { readonly kind: 'reset'; readonly reason: ResetReason; readonly latest: TransitionDto[] };

/** One page of the kept transitions, newest first, and the `before` of the next older page (`null`: none kept). */
export interface TransitionPage {
  readonly transitions: TransitionDto[];
  readonly nextBefore: number | null;
}

/** The window the series cover at `now`: the last 15 minutes, the oldest millisecond excluded. */
function windowAt(now: number): SeriesWindowDto {
  return { from: now - SERIES_WINDOW_MS, to: now };
}

/**
 * Where the service's event ids start: its start time in microseconds (about 1.8e15, below 2^53). A later process
 * starts above every id an earlier one gave unless that one gave more than a thousand a millisecond, so a client
 * that resumes with an id from before a restart gets a `reset` (`unknown`) instead of a replay of whatever this
 * process numbered alike.
 */
export function idsAfterBoot(now = Date.now()): number {
  return now * 1000;
}

/**
 * The status transitions and per-check series, in bounded ring buffers: `size` transitions, and 900 points per
 * check (15 minutes at one point per second). Pure: the caller passes the time, so tests drive it with a fake clock.
 * Every recorded evaluation and transition takes the next number of one sequence; these are the event stream's ids.
 */
export class HealthHistory {
  private readonly transitions: RingBuffer<TransitionDto>;
  private readonly series = new Map<string, RingBuffer<SeriesPoint>>();
  private lastStatus: TransitionDto['to'] | null = null;
  private sequence: number;
  /** The id of the newest transition the ring has dropped (0: none yet): a client that saw less has missed some. */
  private droppedThrough = 0;

  /**
   * `size` transitions kept; ids start after `idsAfter`, so every id below it is one this history never gave (see
   * {@link idsAfterBoot} for the service's). `idsAfter` itself means "before the first": a reset sent before any
   * event carries it, and resuming from it replays everything.
   */
  constructor(
    size: number,
    private readonly idsAfter = 0,
  ) {
    this.transitions = new RingBuffer(size);
    this.sequence = idsAfter;
  }

  /**
   * Puts `transitions` (oldest first: the durable history's newest, from before this process) in the ring, each
   * with the next id. The status is left unknown, so the first evaluation still records its `from: null`: a restart
   * shows in the timeline.
   */
  seed(transitions: ReadonlyArray<Omit<TransitionDto, 'id'>>): void {
    for (const transition of transitions) {
      const dropped = this.transitions.push({ id: ++this.sequence, ...transition });
      if (dropped) this.droppedThrough = dropped.id;
    }
  }

  /** The id of the newest event (`idsAfter` before the first). */
  get lastId(): number {
    return this.sequence;
  }

  /** Records the report of an evaluation that finished at `now` (epoch ms). */
  record(report: HealthReportDto, now: number): Recorded {
    const points: Record<string, SeriesPoint> = {};
    const replaced: string[] = [];
    for (const [key, check] of Object.entries(report.checks)) {
      const point: SeriesPoint = (points[key] = [now, check.latency_ms, check.status]);
      if (this.addPoint(key, point) === 'replaced') replaced.push(key);
    }
    let transition: TransitionDto | undefined;
    if (report.status !== this.lastStatus) {
      const failing = failingChecks(report.checks);
      transition = {
        id: ++this.sequence,
        at: new Date(now).toISOString(),
        from: this.lastStatus,
        to: report.status,
        reason: failing.length ? failing.join('; ') : null,
      };
      const dropped = this.transitions.push(transition);
      if (dropped) this.droppedThrough = dropped.id;
      this.lastStatus = report.status;
    }
    return { evaluationId: ++this.sequence, series: { window: windowAt(now), points, replaced }, transition };
  }

  /**
   * What a client that saw event `id` gets when it resumes, replaying at most `max` transitions: a reset when it
   * missed more, when some it missed are no longer kept, or when `id` is `undefined` (not an id) or one this
   * history never gave (newer than any, or below where its ids start: the client saw another process, before a
   * restart). Costs O(log size + max), however many are kept, so a storm of resumes stays cheap.
   */
  resume(id: number | undefined, max: number): Resumption {
    if (id === undefined || id > this.sequence || id < this.idsAfter) return this.reset('unknown', max);
    if (id < this.droppedThrough) return this.reset('too_old', max);
    const first = this.transitions.findFirst((t) => t.id > id);
    if (this.transitions.size - first > max) return this.reset('too_old', max);
    return { kind: 'replay', missed: this.transitions.slice(first, this.transitions.size) };
  }

  /** Up to `limit` kept transitions with an id below `before` (or the newest ones), newest first. */
  transitionsPage(limit: number, before = Infinity): TransitionPage {
    const end = this.transitions.findFirst((t) => t.id >= before);
    const start = Math.max(end - limit, 0);
    const transitions = this.transitions.slice(start, end).reverse();
    return { transitions, nextBefore: start > 0 ? (transitions.at(-1)?.id ?? null) : null };
  }

  /**
   * A page of transitions (the newest `limit`, all when unset, or those before `before`), each check's points of the
   * last 15 minutes before `now`, and that window.
   */
  snapshot(now: number, { limit = Infinity, before }: Partial<HistoryPageQuery> = {}): RecentHistory {
    const window = windowAt(now);
    const series: Record<string, SeriesPoint[]> = {};
    for (const [key, points] of this.series) {
      points.dropOldestWhile(([t]) => t <= window.from);
      series[key] = points.toArray();
    }
    const page = this.transitionsPage(limit, before);
    return { transitions: page.transitions, next_before: page.nextBefore, series, series_window: window };
  }

  private reset(reason: ResetReason, max: number): Resumption {
    return { kind: 'reset', reason, latest: this.transitionsPage(max).transitions };
  }

  /** Adds the point, or puts it in place of the newest one when both fall in the same second. */
  private addPoint(key: string, point: SeriesPoint): 'added' | 'replaced' {
    let points = this.series.get(key);
    if (!points) this.series.set(key, (points = new RingBuffer(SERIES_CAPACITY)));
    points.dropOldestWhile(([t]) => t <= windowAt(point[0]).from);
    const last = points.last();
    if (last && Math.floor(last[0] / 1000) === Math.floor(point[0] / 1000)) {
      points.replaceLast(point);
      return 'replaced';
    }
    points.push(point);
    return 'added';
  }
}
