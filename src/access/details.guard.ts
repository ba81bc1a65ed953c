import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../http/not-found';
import { DetailsAccess } from './details-access.service';

/**
 * Lets a request through to a details route only when {@link DetailsAccess} grants it: 401 with
 * `WWW-Authenticate: Bearer` when a token is needed, else 404 worded like Nest's answer for an unknown route, so a
 * hidden route is not told apart from a missing one.
 */
@Injectable()
export class DetailsGuard implements CanActivate {
  constructor(private readonly access: DetailsAccess) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const level = this.access.levelOf(request);
    switch (level) {
      case 'granted':
        return true;
      case 'token-required':
        void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer realm="secuscan-health"');
        throw new UnauthorizedException('a bearer token is required to see health details');
      case 'hidden':
        throw notFound(request);
    }
  }
}
