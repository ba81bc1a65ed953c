import { applyDecorators } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery } from '@nestjs/swagger';
import { ApiBadRequest } from '../common/bad-request';
import type { UptimeWindow } from '../history-store';

/** The windows an uptime badge may show. */
/**
 * The OpenAPI tag of the badge routes. Anyone may fetch a badge unless `HEALTH_DETAILS=never`, where they answer 404:
 * the document for that tier leaves the tag's routes out (src/docs/swagger.ts).
 */
export const BADGES_TAG = 'badges';

export const BADGE_WINDOWS: readonly UptimeWindow[] = ['24h', '7d', '30d'];

const SVG = { 'image/svg+xml': { schema: { type: 'string' } } };
const HIDDEN = 'HEALTH_DETAILS=never';

/** Documents `GET /api/v1/health/badge.svg`. */
export function ApiStatusBadge(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Status badge (SVG)',
      description:
        'A shields-style badge with the overall status word (`healthy`, `degraded`, `unhealthy`) and nothing else ' +
        'of the report, for a README. Served to anyone, also without the token under `HEALTH_DETAILS=when-authorized` ' +
        'and on the main port beside a management port; `Cache-Control: no-cache`. From the shared evaluation, so it ' +
        'adds no load on the dependencies.',
    }),
    ApiProduces('image/svg+xml'),
    ApiOkResponse({ description: 'The badge', content: SVG }),
    ApiNotFoundResponse({ description: HIDDEN }),
  );
}

/** Documents `GET /api/v1/health/badge/uptime.svg`. */
export function ApiUptimeBadge(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Uptime badge (SVG)',
      description:
        "A shields-style badge with the service's uptime over the window (percent of evaluated minutes in which it " +
        'was never `unhealthy`, from the durable history), `unknown` when nothing was evaluated; served as the status ' +
        'badge is.',
    }),
    ApiQuery({ name: 'window', required: false, schema: { type: 'string', enum: [...BADGE_WINDOWS], default: '24h' } }),
    ApiProduces('image/svg+xml'),
    ApiOkResponse({ description: 'The badge', content: SVG }),
    ApiBadRequest('`window` is not one of 24h, 7d, 30d'),
    ApiNotFoundResponse({ description: HIDDEN }),
  );
}
