import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ManagementListener } from '../http/management-listener';
import { notFound } from '../http/not-found';
import { ACCESS_SETTINGS, type AccessSettings } from './access.settings';
import { bearerMatches } from './bearer-token';

/** Why an operator route refuses everyone: the service has no token to compare with. */
export const NO_TOKEN_MESSAGE =
  'this service has no HEALTH_TOKEN: set it (at least 16 printable characters) to use maintenance windows';

/**
 * Lets a request through to an operator route (one that changes what the service does, such as a maintenance
 * window) only with `Authorization: Bearer <HEALTH_TOKEN>`, whatever `HEALTH_DETAILS` says: seeing details may be
 * everyone's, acting never is. 401 with `WWW-Authenticate: Bearer` without the token; 403 naming `HEALTH_TOKEN` when
 * the service has none, since no request could then succeed; 404 on the main port when a management port is set,
 * where operator routes live with the details.
 */
@Injectable()
export class OperatorGuard implements CanActivate {
  constructor(
    @Inject(ACCESS_SETTINGS.token) private readonly settings: AccessSettings,
    private readonly management: ManagementListener,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (this.management.enabled && !this.management.serves(request)) throw notFound(request);
    const { token } = this.settings;
    if (token === undefined) throw new ForbiddenException(NO_TOKEN_MESSAGE);
    if (bearerMatches(request.headers.authorization, token)) return true;
    void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="secuscan-health"');
    throw new UnauthorizedException('a bearer token (HEALTH_TOKEN) is required to change maintenance windows');
  }
}
