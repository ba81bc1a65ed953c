import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthMetrics } from './health-metrics';

/** `GET /api/v1/metrics` in the Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: HealthMetrics) {}

  /** The current metrics; reads what the evaluations recorded and never starts one. */
  @Get()
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.registry.metrics();
    await reply
      .code(200)
      .headers({ 'content-type': this.metrics.registry.contentType, 'cache-control': 'no-store' })
      .send(body);
  }
}
