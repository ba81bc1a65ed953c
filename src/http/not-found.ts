import { NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** What a 404 is about: the request's method and its URL (path and query). */
export interface NotFoundRequest {
  readonly method: string;
  readonly url: string;
}

/**
 * The body of every 404 the service sends, worded as Nest answers an unknown route (`Cannot GET /x`), so a route
 * that is hidden (details off, the management port's other paths, Swagger UI's unused files) cannot be told apart
 * from one that does not exist. The query is left out: it is the caller's, not the route's.
 */
export function notFoundBody({ method, url }: NotFoundRequest) {
  return { message: `Cannot ${method} ${url.split('?', 1)[0]}`, error: 'Not Found', statusCode: 404 } as const;
}

/** {@link notFoundBody} as an exception, for guards and controllers. */
export function notFound(request: NotFoundRequest): NotFoundException {
  return new NotFoundException(notFoundBody(request));
}

/** Sends {@link notFoundBody} on `reply`, for Fastify hooks that answer before any route runs. */
export function sendNotFound(request: NotFoundRequest, reply: FastifyReply): void {
  void reply.code(404).send(notFoundBody(request));
}
