import type { CheckStatus, OverallStatus } from '../health/health-status';
import type { Announcement } from './notification';

/** One finished evaluation, as the policy sees it. */
export interface Observation {
  readonly status: OverallStatus;
  /** Epoch ms when the evaluation finished. */
  readonly at: number;
  readonly reason: string | null;
  readonly checks: Readonly<Record<string, CheckStatus>>;
}

/** When the policy speaks. */
export interface PolicyTiming {
  /** A new status must hold this long (ms) before it is announced. */
  readonly afterMs: number;
  /** A reminder this often (ms) while the announced status is not healthy; 0 = never. */
  readonly repeatMs: number;
}

/**
 * When to send what, as a pure state machine over the evaluations (the caller passes each one and its time, so
 * tests drive it with a fake clock). A status is announced once it has held for `afterMs`: a flap that returns
 * sooner sends nothing. Receivers are assumed to know the service healthy until told otherwise, so a healthy start
 * is silent and an unhealthy one is announced with `previous: null`. While the announced status is not healthy, a
 * reminder follows every `repeatMs`; the return to healthy, once it has held, is `recovered`.
 *
 * A hold (a maintenance window) silences it without losing anything: the state goes on being followed, and one that
 * still differs from what receivers were told when the hold ends is announced then.
 */
export class NotificationPolicy {
  /** What receivers were last told, or `null` before anything was said or seen. */
  private announced: OverallStatus | null = null;
  private announcedBefore: OverallStatus | null = null;
  private announcedSince = 0;
  private lastSentAt = 0;
  /** The status of the latest evaluation and when it began. */
  private current?: { readonly status: OverallStatus; readonly since: number };

  constructor(private readonly timing: PolicyTiming) {}

  /** Takes one evaluation; answers what to send now, if anything. `held`: notifications are held now. */
  observe(observation: Observation, held = false): Announcement | undefined {
    const { status, at } = observation;
    if (this.current?.status !== status) this.current = { status, since: at };
    if (this.announced === null && status === 'healthy') {
      // Nothing to tell: receivers take a service they have not heard of as healthy.
      this.announced = 'healthy';
      this.announcedSince = at;
      return undefined;
    }
    if (held) return undefined;
    const since = this.current.since;
    if (status !== (this.announced ?? 'healthy')) {
      if (at - since < this.timing.afterMs) return undefined;
      this.announcedBefore = this.announced;
      this.announced = status;
      this.announcedSince = since;
      return this.send(status === 'healthy' ? 'recovered' : 'status_changed', observation, since);
    }
    if (this.remindersDue() && at - this.lastSentAt >= this.timing.repeatMs) {
      // A flap that came back to the announced status is part of it: `since` stays when it was announced from.
      return this.send('reminder', observation, this.announcedSince);
    }
    return undefined;
  }

  /**
   * When (epoch ms) an evaluation could next make the policy speak: when a pending status will have held long
   * enough, or when a reminder falls due; `undefined` when only a change would.
   */
  nextDecisionAt(): number | undefined {
    if (!this.current) return undefined;
    if (this.current.status !== (this.announced ?? 'healthy')) return this.current.since + this.timing.afterMs;
    return this.remindersDue() ? this.lastSentAt + this.timing.repeatMs : undefined;
  }

  private remindersDue(): boolean {
    return this.timing.repeatMs > 0 && this.announced !== null && this.announced !== 'healthy';
  }

  private send(event: Announcement['event'], { status, at, reason, checks }: Observation, since: number): Announcement {
    this.lastSentAt = at;
    return { event, status, previous: this.announcedBefore, since, reason, checks };
  }
}
