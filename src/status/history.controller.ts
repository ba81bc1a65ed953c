import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HEALTH_HEADERS } from '../health/health.controller';
import { HistoryService } from './history.service';
import { ApiHistory } from './status.api-docs';

/** `GET /api/v1/health/history`: what the evaluations recorded; never starts one. */
@ApiTags('status')
@Controller('health')
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  /** Transitions newest first and the per-check series of the last 15 minutes. */
  @Get('history')
  @ApiHistory()
  async read(@Res() reply: FastifyReply): Promise<void> {
    await reply.code(200).headers(HEALTH_HEADERS).send(JSON.stringify(this.history.read()));
  }
}
