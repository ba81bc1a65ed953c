import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { afterFirstAnswer } from '../http/first-answer';
import { ReadinessDto } from './dto/probe-answers.dto';
import { failingCheckNames, failingChecks } from './health-checker';
import { HealthService, HealthSnapshot } from './health.service';
import { HEALTH_SETTINGS, type HealthSettings } from './health.settings';

/** With no request, the first evaluation starts this long after the app listens. */
const QUIET_START_MS = 250;

/**
 * Decides readiness from the same shared evaluation as the full report (no extra probes), plus two phases of the
 * process's life: `starting` until the first evaluation has finished, and `shutting_down` from the moment a
 * shutdown signal arrives. On a signal it keeps the server up for `HEALTH_SHUTDOWN_DELAY_MS` while readiness
 * answers 503, so load balancers and Kubernetes stop routing before connections close.
 */
@Injectable()
export class ReadinessService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining = false;

  constructor(
    private readonly health: HealthService,
    @Inject(HEALTH_SETTINGS.token) private readonly settings: HealthSettings,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Starts the first evaluation, so the startup phase ends as soon as the dependencies have answered, once the app
   * has answered its first request (or {@link QUIET_START_MS} after it listens): that evaluation loads TypeORM,
   * connects PostgreSQL and Redis and scans the plugins, and begun as the port opens it would hold the first liveness
   * probe. A request that needs an evaluation sooner starts one itself, and then this starts none.
   */
  onApplicationBootstrap(): void {
    void afterFirstAnswer(this.adapterHost, QUIET_START_MS).then(() => {
      if (!this.draining && !this.health.latest) this.health.snapshot().catch(() => undefined);
    });
  }

  /** True from the shutdown signal on. */
  get shuttingDown(): boolean {
    return this.draining;
  }

  /**
   * Readiness now: never waits for a first evaluation, at most for the one in flight when one has finished. Without
   * `details` the reason names the failing checks only, not why they fail (that can name hosts, roles and paths).
   */
  async readiness(details = true): Promise<ReadinessDto> {
    if (this.draining) return this.drainingAnswer();
    if (!this.health.latest) {
      this.health.snapshot().catch(() => undefined);
      return { ready: false, status: 'starting', reason: 'the first health evaluation has not finished' };
    }
    const snapshot = await this.health.snapshot();
    // A signal may have arrived while the evaluation ran.
    return this.draining ? this.drainingAnswer() : answerFor(snapshot, details);
  }

  /**
   * Nest calls this before it closes the HTTP server. On a signal: readiness turns 503 at once, then the server
   * keeps serving for the drain delay. A plain `app.close()` (tests, embedding) does not wait.
   */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    if (!signal) return;
    this.logger.log(`${signal} received: readiness is 503, closing in ${this.settings.shutdownDelayMs} ms`);
    // The global timer, not node:timers/promises: jest's fake timers drive only the global one in unit specs.
    await new Promise<void>((resolve) => setTimeout(resolve, this.settings.shutdownDelayMs));
    this.logger.log('drain delay over: finishing in-flight requests and closing connections');
  }

  private drainingAnswer(): ReadinessDto {
    return { ready: false, status: 'shutting_down', reason: 'the service is shutting down' };
  }
}

function answerFor({ report }: HealthSnapshot, details: boolean): ReadinessDto {
  const failing = details ? failingChecks(report.checks) : failingCheckNames(report.checks);
  return {
    ready: report.status !== 'unhealthy',
    status: report.status,
    reason: failing.length ? failing.join('; ') : null,
  };
}
