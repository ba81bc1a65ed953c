import type { NotificationPayload } from './notification';
import { renderNotification } from './notification-formats';
import type { NotifyTarget } from './notify-target';
import { DeliveryOptions, DeliveryReport, TargetQueue } from './target-queue';

/**
 * Sends each notification to every target, in each target's format, through a queue per target, so a slow or
 * hanging receiver holds up only its own deliveries. Nest-free; every outcome goes to `report`.
 */
export class NotificationSender {
  private readonly queues: readonly TargetQueue[];

  constructor(
    targets: readonly NotifyTarget[],
    private readonly secret: string | undefined,
    options: DeliveryOptions,
    report: (report: DeliveryReport) => void,
  ) {
    this.queues = targets.map((target) => new TargetQueue(target, options, report));
  }

  /** Whether any target has a delivery in flight or waiting. */
  get busy(): boolean {
    return this.queues.some((queue) => queue.busy);
  }

  /** Queues `payload` for every target and returns at once; the I/O happens later. */
  send(payload: NotificationPayload): void {
    for (const queue of this.queues) {
      queue.push({ payload, rendered: renderNotification(queue.target.format, payload, this.secret) });
    }
  }

  /** Closes every queue: deliveries in flight get `graceMs` to finish, the rest are dropped. */
  async close(graceMs: number): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close(graceMs)));
  }
}
