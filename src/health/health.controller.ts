import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DetailsAccess } from '../access/details-access.service';
import { ApiHealthToken } from '../access/details-route.decorator';
import { ApiHealthReport, ApiLiveness, ApiReadiness } from './health.api-docs';
import { acceptsHealthJson } from './health-json';
import { HealthService } from './health.service';
import { ReadinessService } from './readiness.service';

/** Headers of every health answer: JSON, and never cached by a proxy or browser. */
export const HEALTH_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
} as const;

/** The report has two representations, so caches must key on `Accept` too. */
const REPORT_HEADERS = { ...HEALTH_HEADERS, vary: 'Accept' } as const;
const HEALTH_JSON_HEADERS = {
  ...REPORT_HEADERS,
  'content-type': 'application/health+json; charset=utf-8',
} as const;

/** Liveness never changes while the process answers, so its body is built once. */
const LIVE_BODY = JSON.stringify({ status: 'ok' });

/**
 * The health routes. Thin: the services decide; the controller sends the body the health service serialised once
 * per evaluation, with the code the status rules gave.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly readiness: ReadinessService,
    private readonly access: DetailsAccess,
  ) {}

  /**
   * Full report: 200 healthy or degraded, 503 unhealthy; health+json when the client asks for it. A caller who may
   * not see details gets the statuses only, with the same code.
   */
  @Get()
  @ApiHealthReport()
  @ApiHealthToken()
  async report(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.health.snapshot();
    const healthJson = acceptsHealthJson(request.headers.accept);
    const details = this.access.canSeeDetails(request);
    const body = healthJson
      ? details
        ? snapshot.healthJsonBody
        : snapshot.summaryHealthJsonBody
      : details
        ? snapshot.body
        : snapshot.summaryBody;
    await reply
      .code(snapshot.httpStatus)
      .headers(healthJson ? HEALTH_JSON_HEADERS : REPORT_HEADERS)
      .send(body);
  }

  /**
   * Liveness: the process and its event loop answer. Touches no dependency, so a database blip never restarts
   * the pod; stays 200 while shutting down so the drain is not cut short by a restart.
   */
  @Get('live')
  @ApiLiveness()
  async live(@Res() reply: FastifyReply): Promise<void> {
    await reply.code(200).headers(HEALTH_HEADERS).send(LIVE_BODY);
  }

  /**
   * Readiness: 200 healthy or degraded; 503 unhealthy, starting or shutting down. Never needs a token; its reason
   * names the failing checks, and says why they fail only to a caller who may see details.
   */
  @Get('ready')
  @ApiReadiness()
  async ready(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const answer = await this.readiness.readiness(this.access.canSeeDetails(request));
    await reply
      .code(answer.ready ? 200 : 503)
      .headers(HEALTH_HEADERS)
      .send(JSON.stringify(answer));
  }
}
