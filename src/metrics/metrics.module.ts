import { Module } from '@nestjs/common';
import { HealthService } from '../health/health.service';
import { HealthMetrics } from './health-metrics';
import { MetricsController } from './metrics.controller';
import { AppConfig } from '../config/app-config';

/** Prometheus metrics fed by the health evaluations. */
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: HealthMetrics,
      inject: [HealthService, AppConfig],
      useFactory: (health: HealthService, config: AppConfig) => {
        const metrics = new HealthMetrics(config.version);
        health.onEvaluation((snapshot) => metrics.record(snapshot));
        return metrics;
      },
    },
  ],
})
export class MetricsModule {}
