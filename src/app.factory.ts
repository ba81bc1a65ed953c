import { LoggerService, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { setupSwagger } from './docs/swagger';
import type { HealthIndicator } from './health/health-indicator';
import { ReadinessService } from './health/readiness.service';
import { STATUS_PAGE_ROUTES } from './status/status-page.controller';

/** Every route lives under this prefix except the status page at `/status`; the docs are mounted beside it at `/api/docs`. */
export const API_PREFIX = 'api/v1';

/** How {@link createApp} builds the app beyond its configuration. */
export interface AppOptions {
  /** Nest's logger, or log levels; `false` silences it. */
  readonly logger?: LoggerService | LogLevel[] | false;
  /** The checks of the report, in order (default: the shipped database, cache and plugin checks). */
  readonly checks?: readonly Type<HealthIndicator>[];
}

/**
 * Builds the Nest application on Fastify (the lighter HTTP layer keeps the health route cheap under probe storms),
 * with the global prefix. Shared by `main.ts` and the tests, so both run the same app; signal handling is the
 * process's business and lives in `main.ts`.
 */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.checks),
    new FastifyAdapter(),
    {
      abortOnError: false,
      logger: options.logger,
    },
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: STATUS_PAGE_ROUTES });
  closeConnectionsWhileDraining(app);
  setupSwagger(app, config);
  return app;
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
