import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { negotiate } from '../common/accept';
import { sendNotAcceptable } from '../common/not-acceptable';
import { sendJson } from '../common/send-json';
import { DetailsAccess } from '../access/details-access.service';
import { HealthJsonDto } from './dto/health-json.dto';
import { ApiHealthReport, ApiLiveness, ApiReadiness } from './health.api-docs';
import { answerHealthJson, HEALTH_JSON, healthJsonLinks } from './health-json';
import { HEALTH_SETTINGS, type HealthSettings } from './health.settings';
import { HealthService } from './health.service';
import type { HealthJsonSummary } from './health-summary';
import { ReadinessService } from './readiness.service';

const JSON_TYPE = 'application/json';
/** The report's representations, the default first. */
export const REPORT_TYPES = [JSON_TYPE, HEALTH_JSON] as const;
/** Liveness and readiness speak JSON only. */
export const PROBE_TYPES = [JSON_TYPE] as const;

/**
 * Headers of every health answer: never cached by a proxy or browser, and keyed on `Accept` by caches since the
 * answer depends on it. The content type has no `charset`: JSON types define none (they are UTF-8).
 */
const HEADERS = { 'cache-control': 'no-store', vary: 'Accept' } as const;

/** Liveness never changes while the process answers, so its body is built once. */
const LIVE_BODY = Buffer.from(JSON.stringify({ status: 'ok' }));

/**
 * The health routes. Thin: the services decide; the controller negotiates the representation and sends the body
 * the health service built once per evaluation, with the code the status rules gave. Bodies go out as bytes, so
 * Fastify keeps the content type exactly as set.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly readiness: ReadinessService,
    private readonly access: DetailsAccess,
    @Inject(HEALTH_SETTINGS.token) private readonly settings: HealthSettings,
  ) {}

  /**
   * Full report: 200 healthy or degraded, 503 unhealthy; health+json when the client prefers it. A caller who may
   * not see details gets the statuses only, with the same code.
   */
  @Get()
  @ApiHealthReport()
  async report(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const type = negotiate(request.headers.accept, REPORT_TYPES);
    if (!type) return sendNotAcceptable(reply, REPORT_TYPES);
    const snapshot = await this.health.snapshot();
    const details = this.access.canSeeDetails(request);
    // Asked now, not at evaluation: a window started or over since the cached report shows at once.
    const annotations = details ? this.health.annotationsAt(Date.now()) : undefined;
    const body =
      type === HEALTH_JSON
        ? details
          ? this.healthJson(request, snapshot.healthJson, annotations?.notes)
          : this.healthJson(undefined, snapshot.summaryHealthJson)
        : details
          ? annotations
            ? JSON.stringify({ ...snapshot.report, ...annotations.fields })
            : snapshot.body
          : snapshot.summaryBody;
    await reply
      .code(snapshot.httpStatus)
      .headers({ ...HEADERS, 'content-type': type })
      .send(Buffer.from(body));
  }

  /**
   * Liveness: the process and its event loop answer. Touches no dependency, so a database blip never restarts
   * the pod; stays 200 while shutting down so the drain is not cut short by a restart.
   */
  @Get('live')
  @ApiLiveness()
  async live(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!negotiate(request.headers.accept, PROBE_TYPES)) return sendNotAcceptable(reply, PROBE_TYPES);
    await reply
      .code(200)
      .headers({ ...HEADERS, 'content-type': JSON_TYPE })
      .send(LIVE_BODY);
  }

  /**
   * Readiness: 200 healthy or degraded; 503 unhealthy, starting or shutting down. Never needs a token; its reason
   * names the failing checks, and says why they fail only to a caller who may see details.
   */
  @Get('ready')
  @ApiReadiness()
  async ready(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!negotiate(request.headers.accept, PROBE_TYPES)) return sendNotAcceptable(reply, PROBE_TYPES);
    const answer = await this.readiness.readiness(this.access.canSeeDetails(request));
    await sendJson(reply, answer.ready ? 200 : 503, answer, { vary: 'Accept' });
  }

  /** The evaluation's health+json with the links of this route, the drain and the annotations' notes, serialised. */
  private healthJson(
    request: FastifyRequest | undefined,
    json: HealthJsonDto | HealthJsonSummary,
    notes?: readonly string[],
  ): string {
    // Links are for callers who may see details; a status-only answer says nothing about this instance.
    const links = request ? healthJsonLinks(this.settings.publicUrl, request.routeOptions.url ?? '') : undefined;
    return JSON.stringify(answerHealthJson(json, { links, shuttingDown: this.readiness.shuttingDown, notes }));
  }
}
