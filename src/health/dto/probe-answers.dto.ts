import { ApiProperty } from '@nestjs/swagger';
import type { OverallStatus } from '../health-status';

/** Why this instance may or may not take traffic: the health status, or a phase of its life. */
export type ReadinessStatus = OverallStatus | 'starting' | 'shutting_down';

/** The body of `GET /api/v1/health/live`. */
export class LivenessDto {
  @ApiProperty({ enum: ['ok'], description: 'Always `ok`: the process and its event loop answered' })
  status!: 'ok';
}

/** The body of `GET /api/v1/health/ready`. */
export class ReadinessDto {
  @ApiProperty({ description: 'Whether this instance may take traffic (HTTP 200) or not (HTTP 503)' })
  ready!: boolean;

  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy', 'starting', 'shutting_down'],
    description:
      'The health status, or `starting` until the first evaluation has finished, or `shutting_down` from the ' +
      'shutdown signal on',
  })
  status!: ReadinessStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'cache: redis PING timed out after 1000 ms',
    description:
      'What is wrong: the failing checks (with why, for a caller who may see details) or the phase; `null` when healthy',
  })
  reason!: string | null;
}
