import { ApiProperty } from '@nestjs/swagger';
import type { CheckStatus } from '../health-status';

/**
 * One dependency check in the report. A check may add numbers of its own (the plugin registry's `total` and
 * `runnable`); the OpenAPI document lists them per check, from each check's definition.
 */
export class CheckResultDto {
  @ApiProperty({ enum: ['ok', 'error'], description: '`ok` when the probe succeeded within its timeout, else `error`' })
  status!: CheckStatus;

  @ApiProperty({
    type: Number,
    example: 2.4,
    description: 'Measured time of this probe in milliseconds (0.1 ms resolution); on a timeout, about the timeout',
  })
  latency_ms!: number;

  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description:
      '`null` when ok; else a short human message: what failed or what timed out after how long. Never a stack ' +
      'trace, a password, a token or a full connection URL',
  })
  detail!: string | null;

  /** Values the check declares in its definition. */
  [field: string]: unknown;
}
