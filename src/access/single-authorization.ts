import type { FastifyInstance } from 'fastify';
import { sendBadRequest } from '../common/bad-request';

/**
 * Refuses, on every route of both listeners, a request that carries `Authorization` more than once. Node keeps the
 * first of repeated `Authorization` field lines and drops the others without a word, so the token judged here could
 * be another than the one a proxy in front judged (one that reads the last, or appended its own to the client's).
 *
 * 400, not 401: the request is malformed (RFC 9110 allows a single `Authorization` field line), and no credential
 * could make it right; a 401 with `WWW-Authenticate` would invite a retry that adds yet another header.
 */
export function refuseRepeatedAuthorization(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    // Callback style: this runs on every request.
    if ((request.raw.headersDistinct.authorization?.length ?? 0) > 1) {
      void sendBadRequest(reply, 'more than one Authorization header');
      return;
    }
    done();
  });
}
