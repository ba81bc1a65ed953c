import { ApiProperty } from '@nestjs/swagger';
import { CheckResultDto, PluginCheckResultDto } from './check-result.dto';

/** The checks of the report, one key per dependency. More keys may be added; none is ever removed. */
export class HealthChecksDto {
  @ApiProperty({ type: CheckResultDto, description: 'PostgreSQL: `SELECT 1` on the TypeORM data source (critical)' })
  database!: CheckResultDto;

  @ApiProperty({ type: CheckResultDto, description: 'Redis: `PING` (not critical: an error only degrades)' })
  cache!: CheckResultDto;

  @ApiProperty({ type: PluginCheckResultDto, description: 'The scanner plugin registry (not critical)' })
  plugins!: PluginCheckResultDto;
}

/** The body of `GET /api/v1/health` (the default `application/json` representation). */
export class HealthReportDto {
  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy'],
    description:
      '`healthy`: every check ok. `degraded`: the database is ok but the cache or the plugin registry failed ' +
      '(HTTP 200). `unhealthy`: the database failed (HTTP 503)',
  })
  status!: 'healthy' | 'degraded' | 'unhealthy';

  @ApiProperty({ example: '1.0.0', description: 'The service version: APP_VERSION, else package.json' })
  version!: string;

  @ApiProperty({ type: Number, example: 3412, description: 'Whole seconds since the process started serving' })
  uptime_seconds!: number;

  @ApiProperty({ type: HealthChecksDto })
  checks!: HealthChecksDto;
}
