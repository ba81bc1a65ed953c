import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { failingChecks, HEALTH_SETTINGS, HealthService, type HealthSettings, type HealthSnapshot } from '../health';
import { HealthMetrics } from '../metrics/health-metrics';
import { httpPost } from './http-post';
import { payloadOf, type NotificationSource } from './notification';
import { NOTIFICATION_GATE, type NotificationGate } from './notification-gate';
import { NotificationMetrics } from './notification-metrics';
import { NotificationPolicy, type Observation } from './notification-policy';
import { NotificationSender } from './notification-sender';
import { describeTarget } from './notify-target';
import { NOTIFY_SETTINGS, type NotifySettings } from './notify.settings';
import { DEFAULT_DELIVERY, type DeliveryReport } from './target-queue';

/** The service never evaluates by itself more often than this, whatever the cache TTL (as the event stream). */
const MIN_SELF_EVALUATION_GAP_MS = 1000;
/** At shutdown, how long a delivery in flight may take to finish before it is cancelled. */
export const SHUTDOWN_GRACE_MS = 2000;

/**
 * Tells people when the status changes. Follows every evaluation (`evaluations$`, so it adds nothing to a probe's
 * path) through the {@link NotificationPolicy}, and hands what it decides to the {@link NotificationSender}. While
 * targets are set it also makes sure evaluations happen: when none has run for `HEALTH_NOTIFY_INTERVAL_MS`, or when
 * the policy could decide (a new status has held long enough, a reminder is due), it asks for one, through the
 * shared `snapshot()`, so it never probes more often than the cache allows. Without targets it does nothing at all.
 */
@Injectable()
export class NotifierService implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Notify');
  private readonly policy: NotificationPolicy;
  private readonly sender?: NotificationSender;
  private readonly source: NotificationSource;
  private following?: Subscription;
  private followingGate?: Subscription;
  private timer?: NodeJS.Timeout;
  private lastSeen?: HealthSnapshot;
  private closing = false;

  constructor(
    private readonly health: HealthService,
    metrics: HealthMetrics,
    @Inject(NOTIFY_SETTINGS.token) private readonly settings: NotifySettings,
    @Inject(HEALTH_SETTINGS.token) healthSettings: HealthSettings,
    @Optional() @Inject(NOTIFICATION_GATE) private readonly gate?: NotificationGate,
  ) {
    this.policy = new NotificationPolicy(settings);
    this.source = {
      service: settings.appName,
      version: healthSettings.version,
      ...(healthSettings.publicUrl ? { publicUrl: healthSettings.publicUrl } : {}),
    };
    if (!settings.targets.length) return;
    const counter = new NotificationMetrics(metrics.registry, settings.targets);
    const delivery = {
      ...DEFAULT_DELIVERY,
      userAgent: `${settings.appName}/${healthSettings.version}`,
      post: httpPost,
    };
    this.sender = new NotificationSender(settings.targets, settings.secret, delivery, (report) => {
      counter.record(report);
      this.log(report);
    });
  }

  /** Whether a delivery is in flight or waiting (for tests and diagnostics). */
  get delivering(): boolean {
    return this.sender?.busy ?? false;
  }

  onModuleInit(): void {
    if (!this.sender) return;
    const { targets, afterMs, repeatMs } = this.settings;
    this.logger.log({
      message:
        `notifying ${targets.map(describeTarget).join(', ')} when a new status holds ${afterMs} ms` +
        (repeatMs ? `, reminding every ${repeatMs} ms` : ''),
      targets: targets.map((target) => target.label),
    });
    this.following = this.health.evaluations$.subscribe((snapshot) => this.consider(snapshot));
    this.followingGate = this.gate?.changes$?.subscribe(() => this.schedule());
    this.schedule();
  }

  /** Stops following before the dependencies close, so the closing itself is never notified. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    this.following?.unsubscribe();
    this.followingGate?.unsubscribe();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Deliveries in flight get {@link SHUTDOWN_GRACE_MS} to finish; the rest are dropped, so the exit never hangs. */
  async onApplicationShutdown(): Promise<void> {
    this.beforeApplicationShutdown();
    await this.sender?.close(SHUTDOWN_GRACE_MS);
  }

  private consider(snapshot: HealthSnapshot): void {
    if (snapshot === this.lastSeen || this.closing) return;
    this.lastSeen = snapshot;
    const { report } = snapshot;
    const failing = failingChecks(report.checks);
    const observation: Observation = {
      status: report.status,
      at: this.epochOf(snapshot),
      reason: failing.length ? failing.join('; ') : null,
      checks: Object.fromEntries(Object.entries(report.checks).map(([key, check]) => [key, check.status])),
    };
    const announcement = this.policy.observe(observation, this.held());
    if (announcement) {
      const payload = payloadOf(announcement, this.source, Date.now());
      // This runs while the evaluation is being published, which a probe may be waiting on: rendering, signing and
      // opening the requests wait for the next turn of the event loop, after the probe has its answer.
      setImmediate(() => this.sender?.send(payload));
    }
    this.schedule();
  }

  /**
   * Plans the next evaluation: `HEALTH_NOTIFY_INTERVAL_MS` after the latest, or sooner when the policy could decide
   * then (unless notifications are held); never while the latest report is still fresh, which `snapshot()` would
   * only hand back.
   */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.closing) return;
    const now = Date.now();
    const latest = this.health.latest;
    const last = latest ? this.epochOf(latest) : now;
    const decision = this.held() ? undefined : this.policy.nextDecisionAt();
    const due = Math.min(last + this.settings.intervalMs, decision ?? Infinity);
    const earliest = last + Math.max(this.health.reportTtlMs, MIN_SELF_EVALUATION_GAP_MS) + 1;
    // Never a negative delay: a hold that ends long after the latest evaluation plans one for now.
    this.timer = setTimeout(() => void this.evaluate(), Math.max(Math.max(due, earliest) - now, 0));
  }

  private async evaluate(): Promise<void> {
    this.timer = undefined;
    try {
      this.consider(await this.health.snapshot());
    } catch {
      // An evaluation that threw is the health service's to log; the next one is planned below.
    }
    this.schedule();
  }

  private held(): boolean {
    return this.gate?.holds(Date.now()) ?? false;
  }

  /** When a snapshot finished, in epoch ms (snapshots keep `performance.now()`). */
  private epochOf(snapshot: HealthSnapshot): number {
    return Math.round(Date.now() - (performance.now() - snapshot.finishedAt));
  }

  private log({ target, payload, result, tries, problem }: DeliveryReport): void {
    const fields = { target: target.label, event: payload.event, id: payload.id, result, tries };
    const to = `notification ${payload.event} (${payload.status ?? 'test'}) to ${describeTarget(target)}`;
    if (result === 'sent') this.logger.log({ message: `${to} sent`, ...fields });
    else if (result === 'failed') {
      this.logger.warn({ message: `${to} failed after ${tries} tries: ${problem}`, ...fields, problem });
    } else this.logger.warn({ message: `${to} dropped: ${problem}`, ...fields, problem });
  }
}
