import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DetailsRoute } from '../access/details-route.decorator';
import { sendBadRequest } from '../common/bad-request';
import { sendJson } from '../common/send-json';
import { parseHistoryQuery } from './history-query';
import { HealthService } from '../health';
import { DEFAULT_WINDOW, HistoryStore, parseWindow, UPTIME_WINDOWS, type UptimeWindow } from '../history-store';
import { HistoryService } from './history.service';
import { ApiHistory } from './status.api-docs';

const WINDOWS = Object.keys(UPTIME_WINDOWS) as UptimeWindow[];

/** `GET /api/v1/health/history`: what the evaluations recorded; never starts one. */
@ApiTags('status')
@Controller('health')
@DetailsRoute()
export class HistoryController {
  constructor(
    private readonly history: HistoryService,
    private readonly store: HistoryStore,
    private readonly health: HealthService,
  ) {}

  /**
   * A page of transitions, newest first (`?limit=`, `?before=`), the per-check series of the last 15 minutes, and
   * uptime over `?window=` with the last 30 days.
   */
  @Get('history')
  @ApiHistory()
  async read(@Res() reply: FastifyReply, @Query() query: Record<string, unknown>): Promise<void> {
    const page = parseHistoryQuery(query);
    if (typeof page === 'string') return sendBadRequest(reply, page);
    const window = parseWindow(query.window, WINDOWS, DEFAULT_WINDOW);
    if (!window) return sendBadRequest(reply, `window must be one of ${WINDOWS.join(', ')}`);
    const checks = this.health.definitions.map((definition) => definition.key);
    const now = Date.now();
    const uptime = this.store.uptime(window, checks, now);
    await sendJson(reply, 200, { ...this.history.read(page), uptime, days: this.store.days(checks, now) });
  }
}
