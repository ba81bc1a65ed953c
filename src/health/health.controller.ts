import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { HealthService } from './health.service';

/** Headers of every health answer: JSON, and never cached by a proxy or browser (pitfall 8). */
export const HEALTH_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
} as const;

/**
 * The health routes. Thin: the service decides, the controller sends the body the service serialised once per
 * evaluation, with the code the status rules gave.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Full report: 200 healthy or degraded, 503 unhealthy. */
  @Get()
  async report(@Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.health.snapshot();
    await reply.code(snapshot.httpStatus).headers(HEALTH_HEADERS).send(snapshot.body);
  }
}
