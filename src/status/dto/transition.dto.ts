import { ApiProperty } from '@nestjs/swagger';
import type { OverallStatus } from '../../health';

/** One change of the overall status, as kept in the history and sent as a `transition` event. */
export class TransitionDto {
  @ApiProperty({
    type: Number,
    example: 1795604772512042,
    description:
      'The event id of this transition on the event stream; send it as `Last-Event-ID` to resume after it. Ids ' +
      "count up from the service's start time in microseconds, so a restarted service's ids are above its predecessor's",
  })
  id!: number;

  @ApiProperty({ example: '2026-11-25T12:03:04.512Z', description: 'When the evaluation that changed it finished' })
  at!: string;

  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy'],
    nullable: true,
    example: 'healthy',
    description: 'The status before; `null` for the first evaluation after the start',
  })
  from!: OverallStatus | null;

  @ApiProperty({ enum: ['healthy', 'degraded', 'unhealthy'], example: 'degraded', description: 'The status after' })
  to!: OverallStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'cache: redis PING timed out after 1000 ms',
    description: 'The failing checks, `key: detail` joined by `; `; `null` when it became healthy',
  })
  reason!: string | null;
}
