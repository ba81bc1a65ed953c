import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiProduces, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ApiNotAcceptable } from '../common/not-acceptable';
import { HealthJsonCheckDto, HealthJsonDto } from './dto/health-json.dto';
import { HealthReportDto } from './dto/health-report.dto';
import { LivenessDto, ReadinessDto } from './dto/probe-answers.dto';
import { HEALTH_JSON } from './health-json';

/** The report in both media types; the examples of each state are added from the registered checks. */
const reportContent = () => ({
  'application/json': { schema: { $ref: getSchemaPath(HealthReportDto) } },
  [HEALTH_JSON]: { schema: { $ref: getSchemaPath(HealthJsonDto) } },
});

/**
 * Documents `GET /api/v1/health`: 200 healthy or degraded, 503 unhealthy, in JSON and health+json. What each check
 * does, its timeout and the examples are filled in from the registered checks (see `check-schemas.ts`).
 */
export function ApiHealthReport(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(HealthReportDto, HealthJsonDto, HealthJsonCheckDto),
    ApiOperation({
      summary: 'Full health report',
      description:
        'Runs every check concurrently; concurrent callers share one evaluation and a report is reused for ' +
        '`HEALTH_CACHE_TTL_MS`. A critical check that fails makes the service unhealthy (503); any other only ' +
        'degrades it (still 200).\n\n' +
        'Representations, negotiated on `Accept` (RFC 9110: q-values, case-insensitive, `q=0` refuses, the most ' +
        'specific range wins): `application/json` (the default) or `application/health+json` (the IETF health ' +
        'check response format draft). Neither carries a `charset` parameter. 406 only when both are refused.\n\n' +
        'During the shutdown drain the report keeps describing the dependencies with the same status and HTTP ' +
        'code (readiness is what turns 503); in health+json a `notes` entry says the instance is shutting down ' +
        'and `pass` becomes `warn` (still 200).\n\n' +
        'A caller who may not see details (HEALTH_DETAILS `never`, or `when-authorized` without the bearer token, or ' +
        'the main port when MANAGEMENT_PORT is set) gets the statuses only, with the same code: ' +
        '`{"status":"degraded","checks":{"database":{"status":"ok"},"cache":{"status":"error"}}}`.',
    }),
    ApiProduces('application/json', HEALTH_JSON),
    ApiResponse({
      status: 200,
      description: 'healthy, or degraded (every critical check works; another does not)',
      content: reportContent(),
    }),
    ApiResponse({
      status: 503,
      description: 'unhealthy: a critical check failed or timed out',
      content: reportContent(),
    }),
    ApiNotAcceptable(['application/json', HEALTH_JSON]),
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
    ApiNotAcceptable(['application/json']),
  );
}

/** Documents `GET /api/v1/health/ready`; the examples of failing checks are added from the registered checks. */
export function ApiReadiness(): MethodDecorator {
  const content = () => ({ 'application/json': { schema: { $ref: getSchemaPath(ReadinessDto) } } });
  return applyDecorators(
    ApiExtraModels(ReadinessDto),
    ApiOperation({
      summary: 'Readiness',
      description:
        'Whether this instance may take traffic, from the same shared evaluation as the full report (no extra ' +
        'probes). 503 while starting (before the first evaluation), when unhealthy, and from SIGTERM on. Never ' +
        'needs a token; for a caller who may not see details the reason names the failing checks only ' +
        '(`cache failing`), not why they fail.',
    }),
    ApiResponse({ status: 200, description: 'healthy or degraded', content: content() }),
    ApiResponse({ status: 503, description: 'unhealthy, starting or shutting down', content: content() }),
    ApiNotAcceptable(['application/json']),
  );
}
