import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProduces, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { HealthJsonCheckDto, HealthJsonDto } from './dto/health-json.dto';
import { DEGRADED, HEALTHY, UNHEALTHY } from './dto/health-examples';
import { HealthReportDto } from './dto/health-report.dto';
import { LivenessDto, ReadinessDto } from './dto/probe-answers.dto';
import { HEALTH_JSON, toHealthJson } from './health-json';
import { HealthReport } from './health-report';

/** When the documented examples were "evaluated": fixed, so the OpenAPI document is the same on every start. */
const EXAMPLE_TIME = new Date('2026-11-25T12:00:00.000Z');

function example(summary: string, report: HealthReport, healthJson: boolean) {
  return { summary, value: healthJson ? toHealthJson(report, EXAMPLE_TIME) : report };
}

/** Both representations of the report for one HTTP code, with named examples of each state it covers. */
function reportContent(examples: Record<string, [string, HealthReport]>) {
  const render = (healthJson: boolean) =>
    Object.fromEntries(
      Object.entries(examples).map(([name, [summary, report]]) => [name, example(summary, report, healthJson)]),
    );
  return {
    'application/json': { schema: { $ref: getSchemaPath(HealthReportDto) }, examples: render(false) },
    [HEALTH_JSON]: { schema: { $ref: getSchemaPath(HealthJsonDto) }, examples: render(true) },
  };
}

/** Documents `GET /api/v1/health`: 200 healthy or degraded, 503 unhealthy, in JSON and health+json. */
export function ApiHealthReport(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(HealthReportDto, HealthJsonDto, HealthJsonCheckDto),
    ApiOperation({
      summary: 'Full health report',
      description:
        'Probes PostgreSQL (`SELECT 1`, 2 s timeout), Redis (`PING`, 1 s) and the plugin registry concurrently; ' +
        'concurrent callers share one evaluation and a report is reused for `HEALTH_CACHE_TTL_MS`. The database is ' +
        'critical (503 when it fails); the cache and plugins only degrade (still 200). Send ' +
        '`Accept: application/health+json` for the IETF health check response format.',
    }),
    ApiProduces('application/json', HEALTH_JSON),
    ApiResponse({
      status: 200,
      description: 'healthy, or degraded (the database works; the cache or the plugin registry does not)',
      content: reportContent({
        healthy: ['All checks ok', HEALTHY],
        degraded: ['Redis hangs: degraded, still 200', DEGRADED],
      }),
    }),
    ApiResponse({
      status: 503,
      description: 'unhealthy: the database failed or timed out',
      content: reportContent({ unhealthy: ['PostgreSQL refused the connection', UNHEALTHY] }),
    }),
  );
}

/** Documents `GET /api/v1/health/live`. */
export function ApiLiveness(): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: 'Liveness',
      description:
        'Answers from the process alone and touches no dependency, so a database outage never restarts the pod. ' +
        'Stays 200 during the shutdown drain.',
    }),
    ApiResponse({ status: 200, description: 'The process answers', type: LivenessDto }),
  );
}

/** Documents `GET /api/v1/health/ready`. */
export function ApiReadiness(): MethodDecorator {
  const answer = (ready: boolean, status: string, reason: string | null) => ({ value: { ready, status, reason } });
  return applyDecorators(
    ApiExtraModels(ReadinessDto),
    ApiOperation({
      summary: 'Readiness',
      description:
        'Whether this instance may take traffic, from the same shared evaluation as the full report (no extra ' +
        'probes). 503 while starting (before the first evaluation), when unhealthy, and from SIGTERM on.',
    }),
    ApiResponse({
      status: 200,
      description: 'healthy or degraded',
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ReadinessDto) },
          examples: {
            healthy: answer(true, 'healthy', null),
            degraded: answer(true, 'degraded', 'cache: redis PING timed out after 1000 ms'),
          },
        },
      },
    }),
    ApiResponse({
      status: 503,
      description: 'unhealthy, starting or shutting down',
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ReadinessDto) },
          examples: {
            unhealthy: answer(false, 'unhealthy', 'database: database SELECT 1 timed out after 2000 ms'),
            starting: answer(false, 'starting', 'the first health evaluation has not finished'),
            shutting_down: answer(false, 'shutting_down', 'the service is shutting down'),
          },
        },
      },
    }),
  );
}
