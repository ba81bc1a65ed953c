import { applyDecorators, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { HttpErrorDto } from '../common/http-error.dto';
import { HEALTH_TOKEN_SCHEME } from './details-route.decorator';
import { OperatorGuard } from './operator.guard';

/**
 * Marks a route that changes what the service does (a maintenance window): guarded by {@link OperatorGuard}, so it
 * needs the bearer token whatever `HEALTH_DETAILS` says, and documented with the bearer scheme, its 401 and its 403.
 * The 404 it answers on the main port when a management port is set is documented by the route, beside its own.
 */
export function OperatorRoute(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    UseGuards(OperatorGuard),
    ApiBearerAuth(HEALTH_TOKEN_SCHEME),
    ApiUnauthorizedResponse({
      description: 'No valid `Authorization: Bearer <HEALTH_TOKEN>`, whatever HEALTH_DETAILS says',
      type: HttpErrorDto,
    }),
    ApiForbiddenResponse({
      description: 'The service has no HEALTH_TOKEN, so nobody may use this route',
      type: HttpErrorDto,
    }),
  );
}
