import { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { RequestListener } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { refuseRepeatedAuthorization } from './access/single-authorization';
import { AppModule, loadChecks } from './app.module';
import { AppConfig } from './config/app-config';
import { DOCS_SETTINGS } from './docs/docs.settings';
import { setupSwagger } from './docs/swagger';
import { CheckRegistration, HEALTH_SETTINGS, ReadinessService } from './health';
import { STATUS_PAGE_ROUTES } from './status/status-page.controller';
import { createBudgetedServer } from './http/connection-budget';
import { secureHtmlAnswers } from './http/html-headers';
import { ManagementListener } from './http/management-listener';
import { withHostOf } from './http/allowed-hosts';
import { refuseUnknownHosts } from './http/host-check';
import { HTTP_SETTINGS } from './http/http.settings';
import { withTruthfulRouteMapping } from './logging/route-mapping-log';

/** Every route lives under this prefix except the status page at `/status`; the docs are mounted beside it at `/api/docs`. */
export const API_PREFIX = 'api/v1';

/**
 * The largest request body read, in bytes: the only route that takes one starts a maintenance window (a time, a
 * number and a reason of at most 200 characters). A bigger body is refused with 413 before it is buffered.
 */
export const REQUEST_BODY_LIMIT = 4096;

/** How {@link createApp} builds the app beyond its configuration. */
export interface AppOptions {
  /** Nest's logger, or log levels; `false` silences it. */
  readonly logger?: LoggerService | LogLevel[] | false;
}

/**
 * Builds the Nest application on Fastify (the lighter HTTP layer keeps the health route cheap under probe storms),
 * with the global prefix and the checks `config` was parsed for. Shared by `main.ts` and the tests, so both run the
 * same app; signal handling is the
 * process's business and lives in `main.ts`.
 *
 * The main listener has a connection budget (timeouts and a cap below the file limit, see `connection-budget.ts`).
 * Both listeners answer only the host names `HEALTH_ALLOWED_HOSTS` allows (`host-check.ts`), against DNS rebinding.
 * Fastify's `return503OnClosing` is off: once closing starts it would answer 503 to every request on an open
 * keep-alive socket, liveness included; readiness alone says "shutting down", and `Connection: close` ends each socket
 * after its answer.
 */
export async function createApp(
  config: AppConfig<CheckRegistration>,
  options: AppOptions = {},
): Promise<NestFastifyApplication> {
  const { budget } = config.get(HTTP_SETTINGS);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, await loadChecks(config)),
    new FastifyAdapter({
      return503OnClosing: false,
      bodyLimit: REQUEST_BODY_LIMIT,
      serverFactory: (handler: RequestListener) => createBudgetedServer(handler, budget.main),
    }),
    {
      abortOnError: false,
      logger: isLoggerService(options.logger)
        ? withTruthfulRouteMapping(options.logger, API_PREFIX, STATUS_PAGE_ROUTES)
        : options.logger,
    },
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: STATUS_PAGE_ROUTES });
  const fastify = app.getHttpAdapter().getInstance();
  // First of the request hooks: a refused Host gets no further, not even the management port's 404.
  refuseUnknownHosts(
    fastify,
    withHostOf(config.get(HTTP_SETTINGS).allowedHosts, config.get(HEALTH_SETTINGS).publicUrl),
  );
  refuseRepeatedAuthorization(fastify);
  app.get(ManagementListener).attach(fastify);
  closeConnectionsWhileDraining(app);
  secureHtmlAnswers(fastify);
  if (config.get(DOCS_SETTINGS).enabled) setupSwagger(app);
  return app;
}

function isLoggerService(logger: AppOptions['logger']): logger is LoggerService {
  return typeof logger === 'object' && !Array.isArray(logger);
}

/** Listens on `port` and `host`, then on the management port when one is configured. */
export async function listenApp(app: NestFastifyApplication, port: number, host: string): Promise<void> {
  await app.listen(port, host);
  await app.get(ManagementListener).listen();
}

/**
 * From the shutdown signal on, every answer carries `Connection: close`: keep-alive clients (load balancers,
 * kubelets, monitors) then reconnect, to another instance, instead of holding a socket that would keep the closing
 * server waiting for its keep-alive timeout. `server.close()` only reaps connections idle at that moment; one whose
 * request was still in flight would otherwise stay open for 72 s after its answer.
 */
function closeConnectionsWhileDraining(app: NestFastifyApplication): void {
  const readiness = app.get(ReadinessService);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', (_request, reply, payload, done) => {
      // Callback style, not async: this runs on every answer and a promise per request is measurable there.
      if (readiness.shuttingDown) reply.header('connection', 'close');
      done(null, payload);
    });
}
