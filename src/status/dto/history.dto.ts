import { ApiProperty } from '@nestjs/swagger';
import type { CheckStatus } from '../../health';
import type { DayUptime, Uptime } from '../../history-store';
import { TransitionDto } from './transition.dto';
import { DAYS_PROPERTY, UPTIME_PROPERTY } from './uptime.dto';

/** One point of a check's series: epoch milliseconds, the probe's latency in ms, and its status. */
export type SeriesPoint = [t: number, latencyMs: number, status: CheckStatus];

const POINT_EXAMPLE: SeriesPoint[] = [
  [1795608180000, 2.1, 'ok'],
  [1795608181000, 1000.4, 'error'],
];

/**
 * The span a check's series covers at one moment, on the service's clock: points after `from`, up to `to`. The
 * status page draws its charts over it and drops what falls out of it, so the 15-minute window is decided here only.
 */
export class SeriesWindowDto {
  @ApiProperty({
    type: Number,
    example: 1795607281000,
    description: 'Epoch milliseconds; a point at or before it has left the 15-minute window',
  })
  from!: number;

  @ApiProperty({
    type: Number,
    example: 1795608181000,
    description: 'Epoch milliseconds: when this was answered (the history) or evaluated (a `series` event)',
  })
  to!: number;
}

/**
 * What one evaluation added to the series, sent as the `series` event just before its `evaluation` event: the new
 * point of each check, the checks whose new point took the place of their newest one (same second: the last of a
 * second stands), and the window after it.
 */
export interface SeriesUpdate {
  readonly window: SeriesWindowDto;
  readonly points: Record<string, SeriesPoint>;
  readonly replaced: string[];
}

/** The body of `GET /api/v1/health/history`. */
export class HistoryDto {
  @ApiProperty({
    type: [TransitionDto],
    description:
      'Status changes, newest first: the newest `limit` (500 unless asked, at most 1000) of the last ' +
      '`HEALTH_HISTORY_SIZE` kept, or those before `before`',
  })
  transitions!: TransitionDto[];

  @ApiProperty({
    type: Number,
    nullable: true,
    example: null,
    description:
      'Where the next older page starts: ask again with `before` set to this (the id of the oldest transition ' +
      'here); `null` when no older transition is kept',
  })
  next_before!: number | null;

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

  @ApiProperty({
    type: SeriesWindowDto,
    description: 'The span `series` covers now, on the service clock: clients draw and trim the series by it',
  })
  series_window!: SeriesWindowDto;

  @ApiProperty(UPTIME_PROPERTY)
  uptime!: Uptime;

  @ApiProperty(DAYS_PROPERTY)
  days!: DayUptime[];
}

/** What the in-memory history answers by itself; the durable history adds `uptime` and `days`. */
export type RecentHistory = Omit<HistoryDto, 'uptime' | 'days'>;
