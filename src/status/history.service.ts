import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { filter, map, Observable, share, Subscription } from 'rxjs';
import { HealthService, HealthSnapshot } from '../health';
import { HistoryStore } from '../history-store';
import type { RecentHistory, SeriesUpdate } from './dto/history.dto';
import type { TransitionDto } from './dto/transition.dto';
import { HealthHistory, idsAfterBoot, type Resumption } from './health-history';
import type { HistoryPageQuery } from './history-query';
import { STATUS_SETTINGS, type StatusSettings } from './status.settings';

/** An evaluation as the history recorded it, for the event stream. */
export interface RecordedEvaluation {
  readonly snapshot: HealthSnapshot;
  /**
   * The `evaluation` event's data: the report as a caller with details gets it (with its annotations, such as a
   * maintenance window) plus `evaluated_at`, when the evaluation finished on the service's clock, so a listener that
   * gets it late (the latest one, on connect) can say how old it is.
   */
  readonly eventData: string;
  /** When the evaluation finished (epoch ms): its `evaluated_at`. */
  readonly evaluatedAt: number;
  readonly evaluationId: number;
  readonly series: SeriesUpdate;
  readonly transition?: TransitionDto;
}

/**
 * Keeps the history of every evaluation the health service finishes, whoever asked for it (probes, the event
 * stream's own loop), and republishes each as recorded, with its event id and transition.
 */
@Injectable()
export class HistoryService implements OnModuleDestroy {
  private readonly history: HealthHistory;
  private lastRecorded?: RecordedEvaluation;
  private readonly recording: Subscription;
  private readonly reannotating: Subscription;

  /** The health service's evaluations, each once recorded; completes with it at shutdown. */
  readonly recorded$: Observable<RecordedEvaluation>;
  /**
   * The latest evaluation again, with what the annotations add now, whenever that changes (a maintenance window
   * starts or ends): its `eventData` is new, nothing else is, and it brings no transition.
   */
  readonly reannotated$: Observable<RecordedEvaluation>;

  constructor(
    private readonly health: HealthService,
    @Inject(STATUS_SETTINGS.token) settings: StatusSettings,
    store: HistoryStore,
  ) {
    this.history = new HealthHistory(settings.historySize, idsAfterBoot());
    // The transitions from before this process, so a restart keeps the timeline.
    this.history.seed(
      store.recentTransitions(settings.historySize).map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
    );
    this.recorded$ = health.evaluations$.pipe(
      map((snapshot) => this.record(snapshot)),
      share(),
    );
    this.reannotated$ = health.annotationChanges$.pipe(
      map(() => this.lastRecorded),
      filter((recorded) => recorded !== undefined),
      map((recorded) => this.reannotate(recorded)),
      share(),
    );
    // The history records every evaluation, also while nobody else follows them, and keeps the latest one's
    // annotations current for the streams that open later.
    this.recording = this.recorded$.subscribe();
    this.reannotating = this.reannotated$.subscribe();
  }

  onModuleDestroy(): void {
    this.recording.unsubscribe();
    this.reannotating.unsubscribe();
  }

  /** A page of transitions, newest first, the per-check series of the last 15 minutes, and that window. */
  read(page: HistoryPageQuery): RecentHistory {
    return this.history.snapshot(Date.now(), page);
  }

  /** The latest recorded evaluation; `undefined` until the first has finished. */
  get latest(): RecordedEvaluation | undefined {
    return this.lastRecorded;
  }

  /** The id of the newest evaluation or transition. */
  get lastId(): number {
    return this.history.lastId;
  }

  /** What a client resuming after event `id` gets, replaying at most `max` transitions (see {@link HealthHistory.resume}). */
  resume(id: number | undefined, max: number): Resumption {
    return this.history.resume(id, max);
  }

  private record(snapshot: HealthSnapshot): RecordedEvaluation {
    // Recorded as the evaluation is published, so this is when it finished.
    const now = Date.now();
    const eventData = this.eventData(snapshot, now, now);
    this.lastRecorded = { snapshot, eventData, evaluatedAt: now, ...this.history.record(snapshot.report, now) };
    return this.lastRecorded;
  }

  private reannotate({ snapshot, evaluatedAt, evaluationId, series }: RecordedEvaluation): RecordedEvaluation {
    const eventData = this.eventData(snapshot, evaluatedAt, Date.now());
    this.lastRecorded = { snapshot, eventData, evaluatedAt, evaluationId, series };
    return this.lastRecorded;
  }

  /** The stream needs details to be read, so it carries what the application adds at `now` (a window) as well. */
  private eventData({ report }: HealthSnapshot, evaluatedAt: number, now: number): string {
    const annotations = this.health.annotationsAt(now)?.fields;
    return JSON.stringify({ ...report, ...annotations, evaluated_at: new Date(evaluatedAt).toISOString() });
  }
}
