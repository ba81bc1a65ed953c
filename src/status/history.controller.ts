import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DetailsRoute } from '../access/details-route.decorator';
import { sendJson } from '../common/send-json';
import { HistoryService } from './history.service';
import { ApiHistory } from './status.api-docs';

/** `GET /api/v1/health/history`: what the evaluations recorded; never starts one. */
@ApiTags('status')
@Controller('health')
@DetailsRoute()
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  /** Transitions newest first and the per-check series of the last 15 minutes. */
  @Get('history')
  @ApiHistory()
  async read(@Res() reply: FastifyReply): Promise<void> {
    await sendJson(reply, 200, this.history.read());
  }
}
