import { Body, Controller, Delete, Get, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { OperatorRoute } from '../access/operator-route.decorator';
import { sendBadRequest } from '../common/bad-request';
import type { HttpErrorDto } from '../common/http-error.dto';
import { sendJson } from '../common/send-json';
import type { MaintenanceWindowDto } from './dto/maintenance-window.dto';
import { ApiEndMaintenance, ApiReadMaintenance, ApiStartMaintenance } from './maintenance.api-docs';
import { MaintenanceService, type MaintenanceOutcome } from './maintenance.service';
import { readWindowRequest } from './maintenance-window';

const NO_WINDOW: HttpErrorDto = { statusCode: 404, error: 'Not Found', message: 'no maintenance window is active' };

/**
 * `GET`, `POST` and `DELETE /api/v1/health/maintenance`: read, start and end the maintenance window. Thin: the
 * request is read by `readWindowRequest`, the window kept by the service; every route needs the token.
 */
@ApiTags('maintenance')
@Controller('health/maintenance')
@OperatorRoute()
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  /** The active window, or 404. */
  @Get()
  @ApiReadMaintenance()
  async read(@Res() reply: FastifyReply): Promise<void> {
    const window = this.maintenance.active();
    if (!window) return sendJson(reply, 404, NO_WINDOW);
    await sendJson(reply, 200, answer({ window, persisted: this.maintenance.persisted }));
  }

  /** Starts a window (replacing any active one); 400 with the reason when the body cannot be read as one. */
  @Post()
  @ApiStartMaintenance()
  async start(@Res() reply: FastifyReply, @Body() body: unknown): Promise<void> {
    const request = readWindowRequest(body, Date.now());
    if (!request.ok) return sendBadRequest(reply, request.problem);
    await sendJson(reply, 200, answer(await this.maintenance.start(request.window)));
  }

  /** Ends the active window, or 404. */
  @Delete()
  @ApiEndMaintenance()
  async end(@Res() reply: FastifyReply): Promise<void> {
    const ended = await this.maintenance.end();
    if (!ended) return sendJson(reply, 404, NO_WINDOW);
    await sendJson(reply, 200, answer(ended));
  }
}

function answer({ window, persisted }: MaintenanceOutcome): MaintenanceWindowDto {
  return {
    since: new Date(window.since).toISOString(),
    until: new Date(window.until).toISOString(),
    reason: window.reason,
    persisted,
  };
}
