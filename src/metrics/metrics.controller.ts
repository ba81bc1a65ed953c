import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiate } from '../common/accept';
import { ApiNotAcceptable, sendNotAcceptable } from '../common/not-acceptable';
import { DetailsRoute } from '../access/details-route.decorator';
import { HealthMetrics } from './health-metrics';

/** `GET /api/v1/metrics` in the Prometheus text format. */
@ApiTags('metrics')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: HealthMetrics) {}

  /** The current metrics; reads what the evaluations recorded and never starts one. */
  @Get()
  @DetailsRoute()
  @ApiOperation({
    summary: 'Prometheus metrics',
    description:
      'Overall status, per-check up/down and latency histograms from the health evaluations, and the default ' +
      'process metrics. Reads what the evaluations recorded: scraping never probes a dependency. Process metrics ' +
      'include open and maximum file descriptors, so metrics follow HEALTH_DETAILS like every other detail.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format 0.0.4',
    content: {
      'text/plain; version=0.0.4': {
        schema: { type: 'string' },
        example:
          'secuscan_health_build_info{version="1.0.0"} 1\nsecuscan_health_status{status="healthy"} 1\n' +
          'secuscan_health_check_up{check="database"} 1\n',
      },
    },
  })
  @ApiNotAcceptable(['text/plain; version=0.0.4'])
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const offered = [this.metrics.registry.contentType];
    if (!negotiate(request.headers.accept, offered)) return sendNotAcceptable(reply, offered);
    const body = await this.metrics.registry.metrics();
    await reply
      .code(200)
      .headers({ 'content-type': this.metrics.registry.contentType, 'cache-control': 'no-store', vary: 'Accept' })
      .send(body);
  }
}
