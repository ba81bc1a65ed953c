import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { DetailsGuard } from './details.guard';

/** Name of the bearer scheme in the OpenAPI document. */
export const HEALTH_TOKEN_SCHEME = 'health-token';

/**
 * Marks a route that only shows details (diagnostics, history, events, the status page, metrics): guarded by
 * {@link DetailsGuard} (401 without the token under `HEALTH_DETAILS=when-authorized`, 404 under `never` or on the
 * main port when a management port is set), and documented with the bearer scheme. Put it on the handler or the
 * controller; nothing else is needed.
 */
export function DetailsRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(DetailsGuard),
    // Only here: a route that never answers 401 (the report, liveness, readiness) must not show a padlock.
    ApiBearerAuth(HEALTH_TOKEN_SCHEME),
    ApiUnauthorizedResponse({
      description: 'HEALTH_DETAILS=when-authorized and no valid `Authorization: Bearer <HEALTH_TOKEN>`',
    }),
    ApiNotFoundResponse({
      description: 'HEALTH_DETAILS=never, or this is the main port and details are served on MANAGEMENT_PORT',
    }),
  );
}
