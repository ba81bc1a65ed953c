import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ApiBadRequest } from '../common/bad-request';
import { DEFAULT_WINDOW, UPTIME_WINDOWS } from '../history-store';
import { HistoryDto } from './dto/history.dto';
import { REPLAY_MAX } from './event-stream.service';
import { HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX } from './history-query';

/** Documents `GET /api/v1/health/history`. */
export function ApiHistory(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Status history',
      description:
        'Of the last `HEALTH_HISTORY_SIZE` status transitions, one page, newest first (the newest ' +
        `${HISTORY_PAGE_DEFAULT} unless \`limit\` says otherwise; \`next_before\` is where the next older page starts), ` +
        'and, per check, the latency and status of the last 15 minutes (at most one point per second), kept in ' +
        'memory from every evaluation, with the window they cover (`series_window`, on the service clock). Never ' +
        'probes. From the durable history (`HEALTH_DATA_DIR/health.db`, which survives restarts and seeds the ' +
        'transitions at start): `uptime` over `window` and `days`, the last 30 UTC days.',
    }),
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: HISTORY_PAGE_MAX, default: HISTORY_PAGE_DEFAULT },
      description: 'How many transitions, at most',
    }),
    ApiQuery({
      name: 'before',
      required: false,
      schema: { type: 'integer', minimum: 1 },
      description: 'Only transitions with an id below this one: the `next_before` of the previous page',
    }),
    ApiQuery({
      name: 'window',
      required: false,
      schema: { type: 'string', enum: Object.keys(UPTIME_WINDOWS), default: DEFAULT_WINDOW },
      description: 'The span of `uptime`, ending now',
    }),
    ApiOkResponse({ description: 'The history since the process started', type: HistoryDto }),
    ApiBadRequest('`limit` or `before` is not one whole number in its range, or `window` not one of 15m, 24h, 7d, 30d'),
  );
}

const STREAM_EXAMPLE = [
  'retry: 2000',
  '',
  'id: 7',
  'event: transition',
  'data: {"id":7,"at":"2026-11-25T12:03:04.512Z","from":"healthy","to":"degraded","reason":"cache: redis PING timed out after 1000 ms"}',
  '',
  'id: 8',
  'event: series',
  'data: {"window":{"from":1795607284512,"to":1795608184512},"points":{"database":[1795608184512,2.1,"ok"],…},"replaced":[]}',
  '',
  'id: 8',
  'event: evaluation',
  'data: {"status":"degraded","version":"1.0.0","uptime_seconds":3412,"checks":{…}}',
  '',
  ': heartbeat',
  '',
].join('\n');

/** Documents `GET /api/v1/health/events`. */
export function ApiEvents(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Live status events (server-sent events)',
      description:
        'An `evaluation` event (data: the full report, plus `evaluated_at`, when that evaluation finished on the ' +
        "service's clock) after every evaluation, the latest one at once on connect, " +
        'and a `transition` event (data: a history transition) on every change of the overall status. Before each ' +
        "live `evaluation`, under the same id, a `series` event: the point the evaluation added to each check's " +
        'series (`points`), the checks whose point replaced their newest one because both fall in the same second ' +
        '(`replaced`), and the window the series cover after it (`window`, as `series_window` in the history); a ' +
        '`: heartbeat` comment every 15 s. While anyone listens the service evaluates by itself once per ' +
        '`HEALTH_CACHE_TTL_MS` (at least 1 s apart, also when the TTL is 0), sharing the evaluations with the probes, ' +
        'so listeners add no load beyond that. Reconnect with `Last-Event-ID` to get the transitions missed since ' +
        `(at most ${REPLAY_MAX}): a client that missed more, or whose id this process never gave (it restarted), ` +
        'gets a `reset` event instead (data: `reason` and the latest transitions, newest first), to replace what it ' +
        'held; the latest `evaluation` follows either way. ' +
        'At most `HEALTH_EVENTS_MAX` streams are open at once.',
    }),
    ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' }),
    ApiProduces('text/event-stream'),
    ApiOkResponse({
      description: 'The event stream, open until the client leaves or the service shuts down',
      content: { 'text/event-stream': { schema: { type: 'string' }, example: STREAM_EXAMPLE } },
    }),
    ApiResponse({
      status: 503,
      description: 'Too many open streams, or the service is shutting down',
      content: {
        'application/json': {
          schema: { type: 'object', properties: { reason: { type: 'string' } } },
          example: { reason: 'too many event stream subscribers (HEALTH_EVENTS_MAX is 100)' },
        },
      },
    }),
  );
}
