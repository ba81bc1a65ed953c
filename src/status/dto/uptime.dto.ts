import type { ApiPropertyOptions } from '@nestjs/swagger';

/** Percent per name: `service` and each check; `null` when nothing was evaluated. */
const PERCENTS = {
  type: 'object',
  additionalProperties: { type: 'number', nullable: true, minimum: 0, maximum: 100 },
} as const;

/** The uptime of the window asked for, as `uptime` in the history. */
export const UPTIME_PROPERTY: ApiPropertyOptions = {
  ...PERCENTS,
  description:
    'Percent of the evaluated minutes of the window (`?window=`) that were up, two decimals rounded down (100 only ' +
    'when no minute failed): for `service`, minutes in which it was never `unhealthy`; for a check, minutes in which ' +
    'it never failed. Minutes with no evaluation (the service was not running) are unknown and count neither way; ' +
    '`null` when no minute of the window was evaluated',
  example: { service: 99.95, database: 99.95, cache: 99.2, plugins: 100 },
};

/** The `days` of the history, documented once. */
export const DAYS_PROPERTY: ApiPropertyOptions = {
  type: 'array',
  items: {
    type: 'object',
    required: ['date'],
    properties: { date: { type: 'string', format: 'date', example: '2026-12-05' } },
    additionalProperties: { type: 'number', nullable: true, minimum: 0, maximum: 100 },
  },
  description:
    'The last 30 UTC days, oldest first, today (so far) last, whatever the window: per day the uptime of `service` ' +
    'and of each check, `null` for a day with no evaluated minute (unknown, not up)',
  example: [
    { date: '2026-12-04', service: null, database: null, cache: null, plugins: null },
    { date: '2026-12-05', service: 100, database: 100, cache: 98.61, plugins: 100 },
  ],
};
