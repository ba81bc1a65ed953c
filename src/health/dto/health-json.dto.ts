import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { ComponentType } from '../health-indicator';

/** pass / warn / fail, as the draft names them. */
export type HealthJsonStatus = 'pass' | 'warn' | 'fail';

/** One measurement in an `application/health+json` answer (IETF health check draft). */
export class HealthJsonCheckDto {
  @ApiPropertyOptional({
    example: '10.0.0.6:5432',
    description: 'Which instance the reading is of, for a check that measures several (the replicas check: a host)',
  })
  componentId?: string;

  @ApiProperty({
    enum: ['component', 'datastore', 'system'],
    example: 'datastore',
    description: 'What kind of component the check probes, as the check declares it',
  })
  componentType!: ComponentType;

  @ApiPropertyOptional({ type: Number, example: 2.4, description: 'The measured value; absent when the check failed' })
  observedValue?: number;

  @ApiPropertyOptional({
    example: 'ms',
    description:
      'UCUM unit of `observedValue`, present whenever it is: `ms` for response times, `{plugin}` (an annotated ' +
      'count) for numbers of plugins',
  })
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
    description: '`pass` = healthy, `warn` = degraded or shutting down (HTTP 200), `fail` = unhealthy (HTTP 503)',
  })
  status!: HealthJsonStatus;

  @ApiProperty({ example: '1.0.0' })
  version!: string;

  @ApiProperty({ example: 'secuscan-health' })
  serviceId!: string;

  @ApiProperty()
  description!: string;

  @ApiPropertyOptional({ description: 'The failing checks; absent when none failed' })
  output?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Present during the shutdown drain, which also turns `pass` into `warn` (still HTTP 200)',
    example: [
      'shutting down: this instance no longer takes traffic (readiness answers 503) and closes after the drain delay',
    ],
  })
  notes?: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { $ref: getSchemaPath(HealthJsonCheckDto) } },
    description:
      'Keyed `<check>:<measurement>`, one key per measurement: `<check>:responseTime` for every check, and ' +
      '`<check>:<field>` for each number a successful check reports (e.g. `plugins:runnable`). A failed check has ' +
      'only its `responseTime` entry, with `status: fail`, its `output` and no reading',
  })
  checks!: Record<string, HealthJsonCheckDto[]>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', format: 'uri-reference' },
    description:
      '`about` the API documentation, `self` this report: under `HEALTH_PUBLIC_URL` when it is set, else relative ' +
      'to the origin the client used (never built from the request’s `Host`). Absent from status-only answers',
    example: { about: '/api/docs', self: '/api/v1/health' },
  })
  links?: Record<string, string>;
}
