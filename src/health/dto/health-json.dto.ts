import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** One measurement in an `application/health+json` answer (IETF health check draft). */
export class HealthJsonCheckDto {
  @ApiPropertyOptional({ example: 'runnable', description: 'Which sub-component, for checks with several values' })
  componentId?: string;

  @ApiProperty({ example: 'datastore', description: '`datastore` for PostgreSQL and Redis, `component` otherwise' })
  componentType!: string;

  @ApiPropertyOptional({ type: Number, example: 2.4, description: 'The measured value' })
  observedValue?: number;

  @ApiPropertyOptional({ example: 'ms', description: '`ms` for response times, `plugins` for counts' })
  observedUnit?: string;

  @ApiProperty({ enum: ['pass', 'warn', 'fail'] })
  status!: 'pass' | 'warn' | 'fail';

  @ApiProperty({ example: '2026-11-25T13:40:00.000Z', description: 'When the evaluation ran (ISO 8601)' })
  time!: string;

  @ApiPropertyOptional({ example: 'redis PING timed out after 1000 ms', description: 'Why the check failed' })
  output?: string;
}

/** `GET /api/v1/health` with `Accept: application/health+json`. */
export class HealthJsonDto {
  @ApiProperty({
    enum: ['pass', 'warn', 'fail'],
    description: '`pass` = healthy, `warn` = degraded (HTTP 200), `fail` = unhealthy (HTTP 503)',
  })
  status!: 'pass' | 'warn' | 'fail';

  @ApiProperty({ example: '1.0.0' })
  version!: string;

  @ApiProperty({ example: 'secuscan-health' })
  serviceId!: string;

  @ApiProperty()
  description!: string;

  @ApiPropertyOptional({ description: 'The failing checks, when not `pass`' })
  output?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: getSchemaPath(HealthJsonCheckDto) } },
    description:
      'Keyed `<component>:<measurement>`: `database:responseTime`, `cache:responseTime`, `plugins:responseTime`, ' +
      '`plugins:count` (componentId `total` and `runnable`)',
  })
  checks!: Record<string, HealthJsonCheckDto[]>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { about: '/api/docs' } })
  links!: Record<string, string>;
}
