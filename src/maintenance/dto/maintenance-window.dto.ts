import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_MINUTES, MAX_REASON_LENGTH } from '../maintenance-window';

/** The body of `POST /api/v1/health/maintenance`: exactly one of `until` and `minutes`, and why. */
export class StartMaintenanceDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    example: '2026-12-05T18:30:00Z',
    description: `When the window ends: an RFC 3339 time with its offset, in the future, at most ${MAX_MINUTES} minutes ahead`,
  })
  until?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_MINUTES,
    example: 30,
    description: 'How long the window lasts from now, in minutes',
  })
  minutes?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: MAX_REASON_LENGTH,
    example: 'upgrading nmap',
    description: 'Why, for people reading the report and the status page; blank is none',
  })
  reason?: string | null;
}

/** A maintenance window, as the maintenance routes answer it. */
export class MaintenanceWindowDto {
  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-05T18:00:00.000Z', description: 'When it began' })
  since!: string;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-12-05T18:30:00.000Z', description: 'When it ends' })
  until!: string;

  @ApiProperty({ type: String, nullable: true, example: 'upgrading nmap', description: 'Why, or null' })
  reason!: string | null;

  @ApiProperty({
    example: true,
    description:
      'Whether it is stored in HEALTH_DATA_DIR (maintenance.json) and survives a restart; false when the folder ' +
      'cannot be written (the service then logged one warning)',
  })
  persisted!: boolean;
}
