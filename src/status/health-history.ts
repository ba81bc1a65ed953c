import { failingChecks, type HealthReportDto } from '../health';
import type { HistoryDto, SeriesPoint, SeriesUpdate, SeriesWindowDto } from './dto/history.dto';
import type { TransitionDto } from './dto/transition.dto';
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

/** The window the series cover at `now`: the last 15 minutes, the oldest millisecond excluded. */
function windowAt(now: number): SeriesWindowDto {
  return { from: now - SERIES_WINDOW_MS, to: now };
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
  private sequence = 0;

  constructor(size: number) {
    this.transitions = new RingBuffer(size);
  }

  /** The id of the newest event (0 before the first). */
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
      this.transitions.push(transition);
      this.lastStatus = report.status;
    }
    return { evaluationId: ++this.sequence, series: { window: windowAt(now), points, replaced }, transition };
  }

  /**
   * The kept transitions after event id `id`, oldest first, to replay to a client that resumes. An id from the
   * future (the client saw another process, before a restart) gets every kept transition.
   */
  transitionsAfter(id: number): TransitionDto[] {
    const kept = this.transitions.toArray();
    return id > this.sequence ? kept : kept.filter((t) => t.id > id);
  }

  /** Transitions newest first, each check's points of the last 15 minutes before `now`, and that window. */
  snapshot(now: number): HistoryDto {
    const window = windowAt(now);
    const series: Record<string, SeriesPoint[]> = {};
    for (const [key, points] of this.series) {
      points.dropOldestWhile(([t]) => t <= window.from);
      series[key] = points.toArray();
    }
    return { transitions: this.transitions.toArray().reverse(), series, series_window: window };
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
