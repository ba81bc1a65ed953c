import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { EMPTY, map, merge, Observable, Subject } from 'rxjs';
import type { LogFields } from '../logging/app-logger';
import { CheckResultDto } from './dto/check-result.dto';
import { HealthJsonDto } from './dto/health-json.dto';
import { HealthReportDto } from './dto/health-report.dto';
import { Evaluation, evaluateChecks, failingChecks, startChecks } from './health-checker';
import type { CheckDefinition, HealthIndicator } from './health-indicator';
import { HEALTH_INDICATORS } from './health-indicators.provider';
import { toHealthJson } from './health-json';
import { httpStatusOf } from './health-status';
import { HealthJsonSummary, summarize, summarizeHealthJson } from './health-summary';
import { HEALTH_SETTINGS, type HealthSettings } from './health.settings';
import { annotate, type Annotations, REPORT_ANNOTATIONS, type ReportAnnotation } from './report-annotation';

/** A finished evaluation, ready to send: the report, its HTTP code and the serialised body, built once. */
export interface HealthSnapshot {
  readonly report: HealthReportDto;
  readonly httpStatus: 200 | 503;
  readonly body: string;
  /** The same report in the IETF health+json format, before the links of a request are added. */
  readonly healthJson: HealthJsonDto;
  /** The report without details (statuses only), for callers who may not see them. */
  readonly summaryBody: string;
  /** {@link summaryBody} in health+json, before the links of a request are added. */
  readonly summaryHealthJson: HealthJsonSummary;
  /** `performance.now()` when the evaluation finished. */
  readonly finishedAt: number;
}

/**
 * Owns the evaluations. Concurrent callers share the one in flight, and a finished one is reused for
 * `HEALTH_CACHE_TTL_MS`, so a probe storm costs the dependencies at most one probe each per TTL. Every finished
 * evaluation is published on {@link evaluations$}, the one stream that metrics, history and the event stream follow.
 * Status transitions are logged here, once each.
 */
@Injectable()
export class HealthService implements OnApplicationShutdown {
  private readonly logger = new Logger('Health');
  private readonly startedAt = performance.now();
  private lastSnapshot?: HealthSnapshot;
  private inFlight?: Promise<HealthSnapshot>;
  private readonly published = new Subject<HealthSnapshot>();

  /**
   * Every finished evaluation, whoever asked for it. Subscribers must not throw or block; the stream completes when
   * the application shuts down, which ends every subscription.
   */
  readonly evaluations$: Observable<HealthSnapshot> = this.published.asObservable();
  /** The checks' start-up work, asked for by the first evaluation. */
  private started?: Promise<void>;
  /** Every change of what the annotations add to the report (see {@link annotationsAt}); completes with them. */
  readonly annotationChanges$: Observable<void>;

  constructor(
    @Inject(HEALTH_INDICATORS) private readonly indicators: readonly HealthIndicator[],
    @Inject(HEALTH_SETTINGS.token) private readonly settings: HealthSettings,
    @Optional() @Inject(REPORT_ANNOTATIONS) private readonly reportAnnotations: readonly ReportAnnotation[] = [],
  ) {
    this.annotationChanges$ = merge(...reportAnnotations.map((annotation) => annotation.changes$ ?? EMPTY)).pipe(
      map(() => undefined),
    );
  }

  /** What each registered check is, in report order. */
  get definitions(): readonly CheckDefinition[] {
    return this.indicators.map((indicator) => indicator.definition);
  }

  /** The current snapshot: the cached one while fresh, else the one in flight, else a new evaluation. */
  snapshot(): Promise<HealthSnapshot> {
    const latest = this.lastSnapshot;
    if (latest && performance.now() - latest.finishedAt < this.settings.reportTtlMs) return Promise.resolve(latest);
    return (this.inFlight ??= this.evaluate().finally(() => (this.inFlight = undefined)));
  }

  /** The latest finished snapshot, without starting an evaluation; `undefined` until the first one has finished. */
  get latest(): HealthSnapshot | undefined {
    return this.lastSnapshot;
  }

  /** What the application adds to the report beside the checks, in registration order. */
  get annotations(): readonly ReportAnnotation[] {
    return this.reportAnnotations;
  }

  /**
   * What the annotations add to a detailed report at `now` (epoch ms), or `undefined` when nothing. Asked when an
   * answer is sent, not when the evaluation ran, so it is never as old as the cached report.
   */
  annotationsAt(now: number): Annotations | undefined {
    return annotate(this.reportAnnotations, now);
  }

  /** How long a finished report is reused (`HEALTH_CACHE_TTL_MS`). */
  get reportTtlMs(): number {
    return this.settings.reportTtlMs;
  }

  /** The version every report carries. */
  get version(): string {
    return this.settings.version;
  }

  onApplicationShutdown(): void {
    this.published.complete();
  }

  private async evaluate(): Promise<HealthSnapshot> {
    await (this.started ??= startChecks(this.indicators));
    const evaluation = await evaluateChecks(this.indicators);
    const report: HealthReportDto = {
      status: evaluation.status,
      version: this.settings.version,
      uptime_seconds: Math.floor((performance.now() - this.startedAt) / 1000),
      checks: evaluation.checks,
    };
    this.logTransitions(this.lastSnapshot?.report, evaluation);
    const snapshot: HealthSnapshot = {
      report,
      httpStatus: httpStatusOf(report.status),
      body: JSON.stringify(report),
      healthJson: toHealthJson(report, this.definitions, new Date()),
      summaryBody: JSON.stringify(summarize(report)),
      summaryHealthJson: summarizeHealthJson(report),
      finishedAt: performance.now(),
    };
    this.lastSnapshot = snapshot;
    this.published.next(snapshot);
    return snapshot;
  }

  /**
   * One line per change of the overall status and one per check whose status changed (on the first evaluation:
   * per failing check), each with `status`, `from` and `to` fields (and `check`), so collectors can filter on them.
   */
  private logTransitions(previous: HealthReportDto | undefined, { status, checks }: Evaluation): void {
    if (status !== previous?.status) {
      const reason = failingChecks(checks).join('; ');
      const was = previous ? ` (was ${previous.status})` : '';
      const fields = { status, ...(previous ? { from: previous.status } : {}), to: status };
      if (status === 'unhealthy')
        this.logger.error({ message: `status unhealthy${was}: ${reason}`, ...fields, reason });
      else if (status === 'degraded')
        this.logger.warn({ message: `status degraded${was}: ${reason}`, ...fields, reason });
      else this.logger.log({ message: previous ? `status healthy again${was}` : 'status healthy', ...fields });
    }
    for (const definition of this.definitions) {
      const check = checks[definition.key];
      const before = previous?.checks[definition.key]?.status;
      if (!check || check.status === before || (!before && check.status === 'ok')) continue;
      this.logCheckChange(definition, check, before);
    }
  }

  private logCheckChange(definition: CheckDefinition, check: CheckResultDto, before?: string): void {
    const fields: LogFields = {
      message:
        check.status === 'ok' ? `check ${definition.key} ok again` : `check ${definition.key} failed: ${check.detail}`,
      check: definition.key,
      status: check.status,
      ...(before ? { from: before } : {}),
      to: check.status,
      ...(check.detail ? { detail: check.detail } : {}),
    };
    if (check.status === 'ok') this.logger.log(fields);
    else if (definition.critical) this.logger.error(fields);
    else this.logger.warn(fields);
  }
}
