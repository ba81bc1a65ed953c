import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { BADGES_TAG } from './badges.api-docs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_SETTINGS, type AccessSettings } from '../access/access.settings';
import { sendBadRequest } from '../common/bad-request';
import { HealthService } from '../health';
import { HistoryStore, parseWindow, type UptimeWindow } from '../history-store';
import { notFound } from '../http/not-found';
import { renderBadge, statusColour, uptimeColour, type Badge } from './badge-svg';
import { ApiStatusBadge, ApiUptimeBadge, BADGE_WINDOWS } from './badges.api-docs';

/**
 * Only the SVG, never cached stale (`no-cache`: a cache asks again each time, so a README shows the current
 * state), with nothing that could run if a browser opened it directly.
 */
const HEADERS = {
  'content-type': 'image/svg+xml',
  'cache-control': 'no-cache',
  'content-security-policy': "default-src 'none'",
  'x-content-type-options': 'nosniff',
} as const;

/**
 * `GET /api/v1/health/badge.svg` and `GET /api/v1/health/badge/uptime.svg`: shields-style badges for a README or a
 * wiki. They carry one word or one percentage and nothing else of the report (no check, no detail), which is what
 * the status-only report shows anyone anyway: so they are served to anyone, on both listeners and without a token
 * under `when-authorized`; only `HEALTH_DETAILS=never` hides them (404, as an unknown route).
 */
@ApiTags(BADGES_TAG)
@Controller('health')
export class BadgesController {
  constructor(
    private readonly health: HealthService,
    private readonly store: HistoryStore,
    @Inject(ACCESS_SETTINGS.token) private readonly access: AccessSettings,
  ) {}

  /** The overall status word, from the shared evaluation (a badge costs the dependencies nothing extra). */
  @Get('badge.svg')
  @ApiStatusBadge()
  async status(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    this.refuseWhenHidden(request);
    const { report } = await this.health.snapshot();
    await this.send(reply, { label: 'health', message: report.status, colour: statusColour(report.status) });
  }

  /** The service's uptime over `?window=` (24h by default), from the durable history; `unknown` before any. */
  @Get('badge/uptime.svg')
  @ApiUptimeBadge()
  async uptime(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('window') rawWindow?: unknown,
  ): Promise<void> {
    this.refuseWhenHidden(request);
    const window = parseWindow<UptimeWindow>(rawWindow, BADGE_WINDOWS, '24h');
    if (!window) return sendBadRequest(reply, `window must be one of ${BADGE_WINDOWS.join(', ')}`);
    const percent = this.store.uptime(window, []).service;
    const message = percent === null ? 'unknown' : `${percent}%`;
    await this.send(reply, { label: `uptime ${window}`, message, colour: uptimeColour(percent) });
  }

  private refuseWhenHidden(request: FastifyRequest): void {
    if (this.access.details === 'never') throw notFound(request);
  }

  private async send(reply: FastifyReply, badge: Badge): Promise<void> {
    await reply
      .code(200)
      .headers(HEADERS)
      .send(Buffer.from(renderBadge(badge)));
  }
}
