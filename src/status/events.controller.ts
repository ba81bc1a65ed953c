import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DetailsRoute } from '../access/details-route.decorator';
import { sendJson } from '../common/send-json';
import { EventStreamService } from './event-stream.service';
import { ApiEvents } from './status.api-docs';

/** `GET /api/v1/health/events`: the live event stream. Thin: the stream service owns the subscribers. */
@ApiTags('status')
@Controller('health')
@DetailsRoute()
export class EventsController {
  constructor(private readonly events: EventStreamService) {}

  /**
   * Opens a stream, or answers 503 with the reason when the cap is reached or the service is shutting down. A `HEAD`
   * (Fastify routes it here too) gets the same status and headers, and ends.
   */
  @Get('events')
  @ApiEvents()
  async subscribe(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    const refusal = this.events.refusal();
    if (refusal) {
      return sendJson(reply, 503, refusal);
    }
    // From here on Fastify leaves the response alone: the stream writes to it for as long as the client stays.
    reply.hijack();
    if (request.method === 'HEAD') return this.events.head(reply.raw);
    this.events.open(reply.raw, lastEventId);
  }
}
