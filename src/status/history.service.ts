import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { HealthService, HealthSnapshot } from '../health/health.service';
import type { HistoryDto, SeriesUpdate } from './dto/history.dto';
import type { TransitionDto } from './dto/transition.dto';
import { HealthHistory } from './health-history';

/** An evaluation as the history recorded it, for the event stream. */
export interface RecordedEvaluation {
  readonly snapshot: HealthSnapshot;
  readonly evaluationId: number;
  readonly series: SeriesUpdate;
  readonly transition?: TransitionDto;
}

/**
 * Keeps the history of every evaluation the health service finishes, whoever asked for it (probes, the event
 * stream's own loop), and tells its one subscriber, the event stream, about each.
 */
@Injectable()
export class HistoryService {
  private readonly history: HealthHistory;
  private readonly listeners = new Set<(recorded: RecordedEvaluation) => void>();
  private newest?: RecordedEvaluation;

  constructor(health: HealthService, config: AppConfig) {
    this.history = new HealthHistory(config.historySize);
    health.onEvaluation((snapshot) => {
      const recorded = { snapshot, ...this.history.record(snapshot.report, Date.now()) };
      this.newest = recorded;
      for (const listener of this.listeners) listener(recorded);
    });
  }

  /** Transitions newest first, the per-check series of the last 15 minutes, and that window. */
  read(): HistoryDto {
    return this.history.snapshot(Date.now());
  }

  /** The newest recorded evaluation; `undefined` until the first has finished. */
  get latest(): RecordedEvaluation | undefined {
    return this.newest;
  }

  /** The id of the newest evaluation or transition. */
  get lastId(): number {
    return this.history.lastId;
  }

  /** The kept transitions after event id `id`, oldest first. */
  transitionsAfter(id: number): TransitionDto[] {
    return this.history.transitionsAfter(id);
  }

  /** Calls `listener` after each recorded evaluation; returns the function that stops it. */
  onRecorded(listener: (recorded: RecordedEvaluation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
