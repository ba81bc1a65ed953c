import { LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';

/** Every route lives under this prefix; the docs are mounted beside it at `/api/docs`. */
export const API_PREFIX = 'api/v1';

/**
 * Builds the Nest application on Fastify (the lighter HTTP layer keeps the health route cheap under probe storms),
 * with the global prefix and shutdown hooks. Shared by `main.ts` and the tests, so both run the same app.
 */
export async function createApp(
  config: AppConfig,
  options: { logger?: LoggerService | LogLevel[] | false } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    abortOnError: false,
    logger: options.logger,
  });
  app.setGlobalPrefix(API_PREFIX);
  app.enableShutdownHooks();
  return app;
}
