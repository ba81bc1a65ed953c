import type { OnModuleDestroy } from '@nestjs/common';
import perfHooks from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Observable, Subscription } from 'rxjs';
import type { CheckDefinition, HealthSnapshot, OverallStatus } from '../health';

const STATUSES: readonly OverallStatus[] = ['healthy', 'degraded', 'unhealthy'];

/**
 * prom-client's default gauges whose names end in `_total`, a suffix Prometheus reserves for counters (promtool
 * rejects them). Each is the sum of the by-type gauge of the same name without the suffix
 * (`sum(nodejs_active_handles)`), so dropping them loses nothing.
 */
const GAUGES_NAMED_LIKE_COUNTERS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
] as const;

/**
 * prom-client's default metrics, in `registry`; answers how to stop them. Two of them start process-wide observers and
 * return no handle: a `PerformanceObserver` of GC entries and an event-loop delay histogram. Left running they would
 * outlive the app and keep it in memory, one pair for every app the process ever created (tests and embedders create
 * many). They are caught as prom-client creates them (the two constructors are wrapped for the duration of that one
 * synchronous call), so the answer can disconnect and disable them.
 */
function collectStoppableDefaultMetrics(registry: Registry): () => void {
  const observers: perfHooks.PerformanceObserver[] = [];
  const histograms: Array<ReturnType<typeof perfHooks.monitorEventLoopDelay>> = [];
  const { monitorEventLoopDelay } = perfHooks;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the original, put back below and called with its own `this`
  const observe = perfHooks.PerformanceObserver.prototype.observe;
  perfHooks.monitorEventLoopDelay = (options) => {
    const histogram = monitorEventLoopDelay(options);
    histograms.push(histogram);
    return histogram;
  };
  perfHooks.PerformanceObserver.prototype.observe = function (this: perfHooks.PerformanceObserver, options) {
    observers.push(this);
    observe.call(this, options);
  };
  try {
    collectDefaultMetrics({ register: registry });
  } finally {
    perfHooks.monitorEventLoopDelay = monitorEventLoopDelay;
    perfHooks.PerformanceObserver.prototype.observe = observe;
  }
  return () => {
    for (const observer of observers) observer.disconnect();
    for (const histogram of histograms) histogram.disable();
  };
}

/**
 * The Prometheus view of the health evaluations: overall status, per-check up/down and latency, plus the default
 * process metrics, in a registry of its own (not prom-client's global one, so two apps in one process — tests,
 * embedding — do not collide). It is only fed: it {@link follow}s the evaluations, so a scrape never probes anything.
 */
export class HealthMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly stopDefaultMetrics: () => void;
  private following?: Subscription;
  private readonly status = new Gauge({
    name: 'secuscan_health_status',
    help: 'Overall health from the last evaluation: 1 for the current status, 0 for the others',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly checkUp = new Gauge({
    name: 'secuscan_health_check_up',
    help: 'Whether a check was ok (1) or error (0) in the last evaluation',
    labelNames: ['check'],
    registers: [this.registry],
  });
  private readonly checkLatency = new Histogram({
    name: 'secuscan_health_check_latency_seconds',
    help: 'Measured time of each health probe',
    labelNames: ['check'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [this.registry],
  });
  private readonly checkValue = new Gauge({
    name: 'secuscan_health_check_value',
    help: 'The numbers a check reports beside its status (e.g. plugins total, runnable, blocked), by check and field',
    labelNames: ['check', 'field'],
    registers: [this.registry],
  });
  private readonly itemUp = new Gauge({
    name: 'secuscan_health_check_item_up',
    help: 'Whether an item of a check that lists several (each replica of the replicas check) was ok (1) or error (0)',
    labelNames: ['check', 'item'],
    registers: [this.registry],
  });
  private readonly itemValue = new Gauge({
    name: 'secuscan_health_check_item_value',
    help: 'The numbers an item of a check reports (a replica: lag_bytes, lag_seconds, streaming as 1 or 0), by item',
    labelNames: ['check', 'item', 'field'],
    registers: [this.registry],
  });
  /** The item series each check last had, so those of an item that is gone (or unmeasured) are dropped. */
  private readonly itemSeries = new Map<string, Array<{ gauge: Gauge; labels: Record<string, string> }>>();
  private readonly evaluations = new Counter({
    name: 'secuscan_health_evaluations_total',
    help: 'Health evaluations run, by resulting status (shared and cached answers are not counted again)',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly lastEvaluation = new Gauge({
    name: 'secuscan_health_last_evaluation_timestamp_seconds',
    help: 'Unix time of the last evaluation; a stale value means nothing has asked for health lately',
    registers: [this.registry],
  });

  /**
   * The version is one `build_info` series rather than a label on every series: a release then does not change
   * the identity of every series, and it cannot clash with a metric's own label (`nodejs_version_info{version}`).
   */
  constructor(
    version: string,
    /** The registered checks: which of them list items, and under what name. */
    private readonly definitions: readonly CheckDefinition[] = [],
  ) {
    new Gauge({
      name: 'secuscan_health_build_info',
      help: 'Always 1; the version label says which build of the health service is running',
      labelNames: ['version'],
      registers: [this.registry],
    }).set({ version }, 1);
    this.stopDefaultMetrics = collectStoppableDefaultMetrics(this.registry);
    for (const name of GAUGES_NAMED_LIKE_COUNTERS) this.registry.removeSingleMetric(name);
    for (const status of STATUSES) this.evaluations.inc({ status }, 0);
  }

  /**
   * Exports the number of open event streams, read from `count` at every scrape (a gauge that is set on each
   * subscribe and leave would cost every stream something for a number only scrapes read).
   */
  countEventStreams(count: () => number): void {
    new Gauge({
      name: 'secuscan_health_event_stream_subscribers',
      help: 'Event streams (GET /api/v1/health/events) open now; HEALTH_EVENTS_MAX caps them',
      registers: [this.registry],
      collect() {
        this.set(count());
      },
    });
  }

  /** Records every evaluation of `evaluations` from now on, until the app closes. */
  follow(evaluations: Observable<HealthSnapshot>): void {
    this.following?.unsubscribe();
    this.following = evaluations.subscribe((snapshot) => this.record(snapshot));
  }

  /** Stops following and the default metrics' observers with the app, so nothing of it stays behind in the process. */
  onModuleDestroy(): void {
    this.following?.unsubscribe();
    this.stopDefaultMetrics();
  }

  /** Records one finished evaluation. */
  record({ report }: HealthSnapshot): void {
    for (const status of STATUSES) this.status.set({ status }, report.status === status ? 1 : 0);
    for (const [check, result] of Object.entries(report.checks)) {
      this.checkUp.set({ check }, result.status === 'ok' ? 1 : 0);
      this.checkLatency.observe({ check }, result.latency_ms / 1000);
      for (const [field, value] of Object.entries(result)) {
        if (field !== 'latency_ms' && typeof value === 'number') this.checkValue.set({ check, field }, value);
      }
      this.recordItems(check, result);
    }
    this.evaluations.inc({ status: report.status });
    this.lastEvaluation.set(Date.now() / 1000);
  }

  /** The items of a check that lists some: up per item, and its numbers and booleans (1 or 0) per item and field. */
  private recordItems(check: string, result: HealthSnapshot['report']['checks'][string]): void {
    const items = this.definitions.find((definition) => definition.key === check)?.items;
    if (!items) return;
    const list = result[items.name];
    const series: Array<{ gauge: Gauge; labels: Record<string, string> }> = [];
    for (const item of Array.isArray(list) ? (list as Array<Record<string, unknown>>) : []) {
      const name = String(item[items.key]);
      if (item.status === 'ok' || item.status === 'error') {
        series.push({ gauge: this.itemUp, labels: { check, item: name } });
        this.itemUp.set({ check, item: name }, item.status === 'ok' ? 1 : 0);
      }
      for (const field of Object.keys(items.fields)) {
        const value = item[field];
        if (typeof value !== 'number' && typeof value !== 'boolean') continue;
        const labels = { check, item: name, field };
        series.push({ gauge: this.itemValue, labels });
        this.itemValue.set(labels, Number(value));
      }
    }
    // An item no longer listed, or a value no longer measured (null), has no series rather than a stale one.
    // (The up series have no `field`, so labels alone tell every series of a check apart.)
    const kept = new Set(series.map(({ labels }) => JSON.stringify(labels)));
    for (const { gauge, labels } of this.itemSeries.get(check) ?? []) {
      if (!kept.has(JSON.stringify(labels))) gauge.remove(labels);
    }
    this.itemSeries.set(check, series);
  }
}
