import 'reflect-metadata';
import { RedisHealthIndicator, RedisModule } from '@nestjs-modules/ioredis';
import { InjectRedis } from '@nestjs-modules/ioredis';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';

/**
 * The baseline of the benchmark: a health endpoint written the stock way, as the Terminus docs show it —
 * `HealthCheckService` with `TypeOrmHealthIndicator.pingCheck` and a Redis ping, every setting left at its
 * default (Express, no caching, no sharing). Not part of the product; it exists only to be measured against.
 * `/api/v1/health/live` is its liveness route written the same way: `check` with no indicator, which answers 200
 * `{ status: 'ok' }` and touches no dependency (what `npm run bench:startup` asks it for).
 */
@Controller('health')
class BaselineHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly redisHealth: RedisHealthIndicator,
    @InjectRedis() private readonly redis: Redis,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database'),
      () => this.redisHealth.isHealthy('cache', this.redis),
    ]);
  }

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }
}

@Module({
  imports: [
    TerminusModule,
    TypeOrmModule.forRoot({ type: 'postgres', url: process.env.DATABASE_URL }),
    RedisModule.forRoot({ type: 'single', url: process.env.REDIS_URL }),
  ],
  controllers: [BaselineHealthController],
  providers: [RedisHealthIndicator],
})
class BaselineModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BaselineModule, { logger: ['error'] });
  app.setGlobalPrefix('api/v1');
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
