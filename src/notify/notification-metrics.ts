import { Counter, type Registry } from 'prom-client';
import type { NotifyTarget } from './notify-target';
import { DELIVERY_RESULTS, type DeliveryReport } from './target-queue';

/**
 * `secuscan_health_notifications_total{target,result}`: what became of each notification at each target. The target
 * is its label (`slack#1`), never its URL; every target × result series exists from the start at 0, so a rate over
 * it works before the first failure.
 */
export class NotificationMetrics {
  private readonly counter: Counter<'target' | 'result'>;

  constructor(registry: Registry, targets: readonly NotifyTarget[]) {
    this.counter = new Counter({
      name: 'secuscan_health_notifications_total',
      help: 'Notifications by target (its label, e.g. slack#1) and result: sent, failed (every try), dropped',
      labelNames: ['target', 'result'],
      registers: [registry],
    });
    for (const { label } of targets) {
      for (const result of DELIVERY_RESULTS) this.counter.inc({ target: label, result }, 0);
    }
  }

  /** Counts one outcome. */
  record({ target, result }: DeliveryReport): void {
    this.counter.inc({ target: target.label, result });
  }
}
