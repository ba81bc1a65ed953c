import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { NotifierService } from './notifier.service';

/**
 * Notifications of status changes to webhooks, Slack, Discord and ntfy (`HEALTH_NOTIFY_URLS`). A view of the
 * evaluations like metrics and history: the health core knows nothing of it. Idle without targets.
 */
@Module({
  imports: [MetricsModule],
  providers: [NotifierService],
})
export class NotifyModule {}
