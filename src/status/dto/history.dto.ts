import { ApiProperty } from '@nestjs/swagger';
import type { CheckStatus } from '../../health';
import { TransitionDto } from './transition.dto';

/** One point of a check's series: epoch milliseconds, the probe's latency in ms, and its status. */
export type SeriesPoint = [t: number, latencyMs: number, status: CheckStatus];

const POINT_EXAMPLE: SeriesPoint[] = [
  [1795608180000, 2.1, 'ok'],
  [1795608181000, 1000.4, 'error'],
];

/** The body of `GET /api/v1/health/history`. */
export class HistoryDto {
  @ApiProperty({
    type: [TransitionDto],
    description: 'The last `HEALTH_HISTORY_SIZE` status changes, newest first',
  })
  transitions!: TransitionDto[];

  @ApiProperty({
    type: 'object',
    description:
      'Per check, the last 15 minutes as `[t, latency_ms, status]` (t in epoch milliseconds), oldest first, at most ' +
      'one point per second: when several evaluations fall in one second the last one stands',
    additionalProperties: {
      type: 'array',
      items: {
        type: 'array',
        minItems: 3,
        maxItems: 3,
        items: { oneOf: [{ type: 'number' }, { type: 'string', enum: ['ok', 'error'] }] },
      },
    },
    example: { database: POINT_EXAMPLE, cache: POINT_EXAMPLE },
  })
  series!: Record<string, SeriesPoint[]>;
}
