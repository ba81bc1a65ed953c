import { Logger } from '@nestjs/common';
import { FakeAdapterHost } from '../../test/support/fake-adapter-host';
import { settingsFrom } from '../config/settings';
import { HEALTH_SETTINGS } from './health.settings';
import { HealthService, HealthSnapshot } from './health.service';
import { HealthReportDto } from './dto/health-report.dto';
import { ReadinessService } from './readiness.service';

function snapshotOf(status: HealthReportDto['status'], failing: Record<string, string> = {}): HealthSnapshot {
  const checks: HealthReportDto['checks'] = { database: { status: 'ok', latency_ms: 1, detail: null } };
  for (const [key, detail] of Object.entries(failing)) checks[key] = { status: 'error', latency_ms: 1, detail };
  const report: HealthReportDto = { status, version: '1', uptime_seconds: 0, checks };
  return {
    report,
    httpStatus: status === 'unhealthy' ? 503 : 200,
    body: JSON.stringify(report),
    healthJson: { status: 'pass', version: '1', serviceId: 's', description: 'd', checks: {} },
    summaryBody: '',
    summaryHealthJson: { status: 'pass', checks: {} },
    finishedAt: 0,
  };
}

/** A stand-in for the shared evaluation: what `latest` and snapshot() return is set by the test. */
class FakeHealth {
  latest?: HealthSnapshot;
  next?: HealthSnapshot;
  snapshots = 0;
  snapshot = (): Promise<HealthSnapshot> => {
    this.snapshots++;
    this.latest = this.next;
    return this.next ? Promise.resolve(this.next) : Promise.reject(new Error('no snapshot set'));
  };
}

describe('ReadinessService', () => {
  let health: FakeHealth;
  let adapter: FakeAdapterHost;
  let readiness: ReadinessService;

  beforeAll(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  beforeEach(() => {
    health = new FakeHealth();
    adapter = new FakeAdapterHost();
    readiness = new ReadinessService(
      health as unknown as HealthService,
      settingsFrom(HEALTH_SETTINGS, { HEALTH_SHUTDOWN_DELAY_MS: '50' }),
      adapter.host,
    );
  });

  it('says starting (not ready) until the first evaluation has finished, and starts one', async () => {
    await expect(readiness.readiness()).resolves.toEqual({
      ready: false,
      status: 'starting',
      reason: 'the first health evaluation has not finished',
    });
    expect(health.snapshots).toBe(1);
  });

  it('starts the first evaluation once the app has answered its first request, not before', async () => {
    health.next = snapshotOf('healthy');
    readiness.onApplicationBootstrap();
    adapter.listen();
    const send = adapter.answer();
    await new Promise((resolve) => setImmediate(resolve));
    expect(health.snapshots).toBe(0);
    send();
    await new Promise((resolve) => setImmediate(resolve));
    expect(health.snapshots).toBe(1);
  });

  it('starts no evaluation once shutting down', async () => {
    health.next = snapshotOf('healthy');
    readiness.onApplicationBootstrap();
    adapter.listen();
    await readiness.beforeApplicationShutdown();
    adapter.answer()();
    await new Promise((resolve) => setImmediate(resolve));
    expect(health.snapshots).toBe(0);
  });

  it('is ready when healthy, with no reason', async () => {
    health.latest = health.next = snapshotOf('healthy');
    await expect(readiness.readiness()).resolves.toEqual({ ready: true, status: 'healthy', reason: null });
  });

  it('is ready when degraded, saying what is degraded', async () => {
    health.latest = health.next = snapshotOf('degraded', { cache: 'redis PING timed out after 1000 ms' });
    await expect(readiness.readiness()).resolves.toEqual({
      ready: true,
      status: 'degraded',
      reason: 'cache: redis PING timed out after 1000 ms',
    });
  });

  it('is not ready when unhealthy', async () => {
    health.latest = health.next = snapshotOf('unhealthy', { database: 'database unreachable: refused' });
    await expect(readiness.readiness()).resolves.toMatchObject({ ready: false, status: 'unhealthy' });
  });

  describe('on shutdown', () => {
    beforeEach(() => {
      jest.useFakeTimers();
      readiness = new ReadinessService(
        health as unknown as HealthService,
        settingsFrom(HEALTH_SETTINGS, { HEALTH_SHUTDOWN_DELAY_MS: '30000' }),
        adapter.host,
      );
    });
    afterEach(() => jest.useRealTimers());

    it('turns not ready at once on a signal and waits the drain delay before the server closes', async () => {
      health.latest = health.next = snapshotOf('healthy');
      let drained = false;
      const draining = readiness.beforeApplicationShutdown('SIGTERM').then(() => (drained = true));
      expect(readiness.shuttingDown).toBe(true);
      await expect(readiness.readiness()).resolves.toEqual({
        ready: false,
        status: 'shutting_down',
        reason: 'the service is shutting down',
      });
      await jest.advanceTimersByTimeAsync(29_999);
      expect(drained).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await draining;
      expect(drained).toBe(true);
    });

    it('does not wait on a plain app.close() without a signal', async () => {
      const closing = readiness.beforeApplicationShutdown();
      expect(readiness.shuttingDown).toBe(true);
      expect(jest.getTimerCount()).toBe(0);
      await closing;
    });
  });

  it('answers shutting_down when the signal arrives during the evaluation it waited for', async () => {
    health.latest = snapshotOf('healthy');
    health.snapshot = () => {
      void readiness.beforeApplicationShutdown();
      return Promise.resolve(snapshotOf('healthy'));
    };
    await expect(readiness.readiness()).resolves.toMatchObject({ ready: false, status: 'shutting_down' });
  });
});
