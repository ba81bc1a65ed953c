import { Module } from '@nestjs/common';
import { HealthService } from '../health';
import { HealthMetrics } from './health-metrics';
import { MetricsController } from './metrics.controller';

/** Prometheus metrics fed by the health evaluations. */
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: HealthMetrics,
      inject: [HealthService],
      useFactory: (health: HealthService) => {
        const metrics = new HealthMetrics(health.version);
        metrics.follow(health.evaluations$);
        return metrics;
      },
    },
  ],
})
export class MetricsModule {}
