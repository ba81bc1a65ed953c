import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { ComponentType } from '../health-indicator';

/** pass / warn / fail, as the draft names them. */
export type HealthJsonStatus = 'pass' | 'warn' | 'fail';

/** One measurement in an `application/health+json` answer (IETF health check draft). */
export class HealthJsonCheckDto {
  @ApiProperty({
    enum: ['component', 'datastore', 'system'],
    example: 'datastore',
    description: 'What kind of component the check probes, as the check declares it',
  })
  componentType!: ComponentType;

  @ApiPropertyOptional({ type: Number, example: 2.4, description: 'The measured value; absent when the check failed' })
  observedValue?: number;

  @ApiPropertyOptional({ example: 'ms', description: '`ms` for response times; absent for plain counts' })
  observedUnit?: string;

  @ApiProperty({ enum: ['pass', 'warn', 'fail'] })
  status!: HealthJsonStatus;

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
  status!: HealthJsonStatus;

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
      'Keyed `<check>:<measurement>`: `<check>:responseTime` for every check, and `<check>:<field>` for each ' +
      'number a successful check reports (e.g. `plugins:runnable`)',
  })
  checks!: Record<string, HealthJsonCheckDto[]>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { about: '/api/docs' } })
  links!: Record<string, string>;
}
