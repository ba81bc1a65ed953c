import type { Observable } from 'rxjs';

/**
 * Something that may hold notifications for a while — a maintenance window. The notifier asks it on every
 * evaluation; while it holds, nothing is sent, and a state that still differs from what receivers were told when it
 * stops holding is notified then. A feature provides one under {@link NOTIFICATION_GATE} (from a global module);
 * without one, nothing is ever held.
 */
export interface NotificationGate {
  /** Whether notifications are held at `now` (epoch ms). Called often: answer from memory. */
  holds(now: number): boolean;
  /**
   * Emits when holding starts or stops, so the notifier plans again at once: the state a hold kept quiet is then
   * told within about a second of its end, not at the next self-evaluation (`HEALTH_NOTIFY_INTERVAL_MS`).
   */
  readonly changes$?: Observable<unknown>;
}

/** The Nest token of the optional {@link NotificationGate}. */
export const NOTIFICATION_GATE = Symbol('notification gate');
