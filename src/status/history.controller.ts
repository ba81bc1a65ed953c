import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DetailsRoute } from '../access/details-route.decorator';
import { sendBadRequest } from '../common/bad-request';
import { sendJson } from '../common/send-json';
import { parseHistoryQuery } from './history-query';
import { HistoryService } from './history.service';
import { ApiHistory } from './status.api-docs';

/** `GET /api/v1/health/history`: what the evaluations recorded; never starts one. */
@ApiTags('status')
@Controller('health')
@DetailsRoute()
export class HistoryController {
  constructor(private readonly history: HistoryService) {}

  /** A page of transitions, newest first (`?limit=`, `?before=`), and the per-check series of the last 15 minutes. */
  @Get('history')
  @ApiHistory()
  async read(@Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const page = parseHistoryQuery(query);
    if (typeof page === 'string') return sendBadRequest(reply, page);
    await sendJson(reply, 200, this.history.read(page));
  }
}
