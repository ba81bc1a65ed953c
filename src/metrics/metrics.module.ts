import { Module } from '@nestjs/common';
import { HealthService } from '../health';
import { EventStreamService } from '../status/event-stream.service';
import { StatusModule } from '../status/status.module';
import { HealthMetrics } from './health-metrics';
import { MetricsController } from './metrics.controller';

/**
 * Prometheus metrics fed by the health evaluations, and the event streams' subscriber count; other features add theirs
 * to {@link HealthMetrics}' registry.
 */
@Module({
  imports: [StatusModule],
  controllers: [MetricsController],
  providers: [
    {
      provide: HealthMetrics,
      inject: [HealthService, EventStreamService],
      useFactory: (health: HealthService, events: EventStreamService) => {
        const metrics = new HealthMetrics(health.version, health.definitions);
        metrics.follow(health.evaluations$);
        metrics.countEventStreams(() => events.activity.clients);
        return metrics;
      },
    },
  ],
  exports: [HealthMetrics],
})
export class MetricsModule {}
