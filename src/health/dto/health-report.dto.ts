import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import type { OverallStatus } from '../health-status';
import { CheckResultDto } from './check-result.dto';

/**
 * The body of `GET /api/v1/health` (the default `application/json` representation). The schema of `checks` is
 * completed from the registered checks when the OpenAPI document is built.
 */
@ApiExtraModels(CheckResultDto)
export class HealthReportDto {
  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy'],
    description:
      '`healthy`: every check ok. `degraded`: every critical check is ok but another failed (HTTP 200). ' +
      '`unhealthy`: a critical check failed (HTTP 503)',
  })
  status!: OverallStatus;

  @ApiProperty({ example: '1.0.0', description: 'The service version: APP_VERSION, else package.json' })
  version!: string;

  @ApiProperty({ type: Number, example: 3412, description: 'Whole seconds since the process started serving' })
  uptime_seconds!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(CheckResultDto) },
    description: 'One entry per check, in a fixed order. Checks may be added; none is ever removed',
  })
  checks!: Record<string, CheckResultDto>;
}
