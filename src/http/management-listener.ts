import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { createBudgetedServer } from './connection-budget';
import { HTTP_SETTINGS, type HttpSettings } from './http.settings';
import { sendNotFound } from './not-found';
import { requestPath } from './request-path';

/**
 * Paths the management listener serves: health, probes, metrics, diagnostics, history, events, the status page, and
 * the API docs (Swagger UI and the OpenAPI document, which follow the details policy of the listener they are asked
 * on: with a management port, the full document is served there only). A prefix, so a route added under one of them
 * later is served there without registering anything.
 */
export const MANAGEMENT_PATHS: readonly string[] = [
  '/api/v1/health',
  '/api/v1/metrics',
  '/status',
  '/api/docs',
  '/api/docs-json',
  '/api/docs-yaml',
];

/**
 * Whether `url` (the request target: path and query, or the absolute form a client set up for a proxy sends) is one
 * of {@link MANAGEMENT_PATHS} or below one.
 */
export function isManagementPath(url: string): boolean {
  const path = requestPath(url);
  return MANAGEMENT_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * The optional second listener (`MANAGEMENT_PORT`): a second HTTP server on the same Fastify request handler, so
 * every route exists once, with a connection budget of its own. A flood that fills the main listener's budget cannot
 * take the sockets probes need. Requests for anything but the management paths are answered 404 there.
 */
@Injectable()
export class ManagementListener {
  private readonly logger = new Logger('Management');
  private readonly sockets = new WeakSet<Socket>();
  private server?: Server;

  constructor(@Inject(HTTP_SETTINGS.token) private readonly settings: HttpSettings) {}

  /** Whether the management listener is configured at all. */
  get enabled(): boolean {
    return this.settings.managementPort !== undefined;
  }

  /** Whether `request` arrived through the management listener. */
  serves(request: FastifyRequest): boolean {
    return this.sockets.has(request.raw.socket);
  }

  /**
   * Creates the server on `fastify`'s handler and hooks it in: other paths get 404 on it, and it closes with the app.
   * Call before the app is initialised (hooks cannot be added after).
   */
  attach(fastify: FastifyInstance): void {
    if (!this.enabled) return;
    const server = createBudgetedServer(fastify.routing.bind(fastify), this.settings.budget.management);
    server.on('connection', (socket: Socket) => this.sockets.add(socket));
    this.server = server;
    fastify.addHook('onRequest', (request, reply, done) => {
      // Callback style: this runs on every request of both listeners.
      if (this.serves(request) && !isManagementPath(request.url)) {
        sendNotFound(request, reply);
        return;
      }
      done();
    });
    fastify.addHook('onClose', (_instance, done) => {
      if (!server.listening) return done();
      server.close(() => done());
      server.closeIdleConnections();
    });
  }

  /** Starts listening on `MANAGEMENT_PORT` / `MANAGEMENT_HOST`; a no-op when not configured. */
  async listen(): Promise<void> {
    const { server } = this;
    if (!server || this.settings.managementPort === undefined) return;
    server.listen(this.settings.managementPort, this.settings.managementHost);
    await once(server, 'listening');
    this.logger.log(`management listener on http://${this.settings.managementHost}:${this.settings.managementPort}`);
  }
}
