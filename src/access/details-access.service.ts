import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ManagementListener } from '../http/management-listener';
import { ACCESS_SETTINGS, type AccessSettings } from './access.settings';
import { bearerMatches } from './bearer-token';

/**
 * What a caller may see of the details: `granted`; `token-required` (answer 401 with `WWW-Authenticate: Bearer`);
 * `hidden` (answer 404, as if the route did not exist).
 */
export type DetailsAccessLevel = 'granted' | 'token-required' | 'hidden';

/**
 * Decides who sees details, in one place, for every route that shows them (see `@DetailsRoute()`) and for the
 * report (full or status-only):
 * - `HEALTH_DETAILS=never`: nobody.
 * - with a management listener, requests on the main port: nobody (details live on the management port only).
 * - `always`: everybody else.
 * - `when-authorized`: callers presenting `Authorization: Bearer <HEALTH_TOKEN>`.
 */
@Injectable()
export class DetailsAccess {
  constructor(
    @Inject(ACCESS_SETTINGS.token) private readonly settings: AccessSettings,
    private readonly management: ManagementListener,
  ) {}

  /** The access level of `request`. */
  levelOf(request: FastifyRequest): DetailsAccessLevel {
    const { details, token } = this.settings;
    if (details === 'never') return 'hidden';
    if (this.management.enabled && !this.management.serves(request)) return 'hidden';
    if (details === 'always') return 'granted';
    return token !== undefined && bearerMatches(request.headers.authorization, token) ? 'granted' : 'token-required';
  }

  /** Whether `request` may see details. */
  canSeeDetails(request: FastifyRequest): boolean {
    return this.levelOf(request) === 'granted';
  }
}
