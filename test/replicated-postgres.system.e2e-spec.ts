import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { RunningApp, Probe, startApp } from './support/app';
import { launchChromium } from './support/browser';
import { cli } from './support/cli';
import { FaultProxy } from './support/fault-proxy';
import { freePort } from './support/ports';
import { PrivatePostgres } from './support/private-postgres';
import { waitFor } from './support/wait';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- documents read as JSON

/** The role the service connects as: no superuser, `pg_monitor` to read the WAL receiver's state. */
const USER = 'health';
const urlOf = (...servers: Array<PrivatePostgres | string>) =>
  `postgres://${USER}@${servers.map((s) => (typeof s === 'string' ? s : s.address)).join(',')}/postgres`;

/** Polls the report until `holds` is true of it; answers it and how long that took from `since`. */
async function untilReport(
  service: RunningApp,
  what: string,
  holds: (answer: Probe) => boolean,
  since = performance.now(),
) {
  const answer = await waitFor(
    async () => {
      const probe = await service.get().catch(() => undefined);
      return probe && holds(probe) && probe;
    },
    { what, timeoutMs: 30_000 },
  );
  return { answer, ms: Math.round(performance.now() - since) };
}

/**
 * A real topology on loopback: a PostgreSQL primary and a hot standby streaming from it (`pg_basebackup -R`), shared by
 * the tests in order; the last one fails the primary over to the standby. Times to truth are printed.
 */
describe('replicated PostgreSQL: multi-host DATABASE_URL and the replicas check', () => {
  let primary: PrivatePostgres;
  let standby: PrivatePostgres;
  const apps: RunningApp[] = [];
  const start = async (env: Record<string, string>) => {
    const app = await startApp({ HEALTH_CACHE_TTL_MS: '0', ...env });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    primary = await PrivatePostgres.create();
    await primary.query(
      `CREATE ROLE ${USER} LOGIN; GRANT pg_monitor TO ${USER}; CREATE TABLE findings (id serial, at timestamptz DEFAULT now())`,
    );
    standby = await PrivatePostgres.standbyOf(primary);
    await waitFor(
      async () =>
        (await standby.query(`SELECT status FROM pg_stat_wal_receiver`))[0]?.status === 'streaming' &&
        (await standby.query(`SELECT 1 FROM pg_roles WHERE rolname = '${USER}'`)).length === 1,
      { what: 'the standby to stream and to have the role', timeoutMs: 30_000 },
    );
  }, 120_000);
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  afterAll(async () => {
    for (const app of apps.splice(0)) await app.close();
    await standby?.destroy();
    await primary?.destroy();
  });

  it('standby listed first, then the primary: the database check uses the primary, the replica is ok', async () => {
    const service = await start({
      DATABASE_URL: urlOf(standby, primary),
      DATABASE_REPLICA_URLS: urlOf(standby),
    });
    const { answer, ms } = await untilReport(service, 'healthy', ({ body }) => body.status === 'healthy');
    console.log(`standby-first DATABASE_URL: healthy on the primary ${ms} ms after start`);
    expect(answer.status).toBe(200);
    expect(answer.body.checks.database).toEqual({
      status: 'ok',
      host: primary.address,
      latency_ms: expect.any(Number),
      detail: null,
    });
    expect(answer.body.checks.replicas).toEqual({
      status: 'ok',
      total: 1,
      healthy: 1,
      hosts: [
        {
          host: standby.address,
          status: 'ok',
          lag_bytes: expect.any(Number),
          lag_seconds: expect.any(Number),
          streaming: true,
          detail: null,
        },
      ],
      latency_ms: expect.any(Number),
      detail: null,
    });
  });

  it('pointed only at the standby: 503, "connected to a read-only standby"', async () => {
    const service = await start({ DATABASE_URL: urlOf(standby) });
    const { answer } = await untilReport(service, 'unhealthy', ({ body }) => body.status === 'unhealthy');
    expect(answer.status).toBe(503);
    expect(answer.body.checks.database).toEqual({
      status: 'error',
      latency_ms: expect.any(Number),
      detail: `connected to a read-only standby: ${standby.address} is in recovery`,
    });
    const ready = await service.get('/health/ready');
    expect(ready.status).toBe(503);
  });

  it('replay paused while the primary writes: error over HEALTH_REPLICA_MAX_LAG_MS, ok again once resumed', async () => {
    const service = await start({
      DATABASE_URL: urlOf(primary),
      DATABASE_REPLICA_URLS: urlOf(standby),
      HEALTH_REPLICA_MAX_LAG_MS: '1000',
    });
    await untilReport(service, 'healthy', ({ body }) => body.status === 'healthy');
    // No commit replayed since the standby started: PostgreSQL cannot date this lag, the service does.
    expect((await standby.query('SELECT pg_last_xact_replay_timestamp() AS at'))[0].at).toBeNull();
    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      const paused = performance.now();
      await primary.query(`INSERT INTO findings DEFAULT VALUES`);
      const lagging = await untilReport(
        service,
        'the replica reported over its lag',
        ({ body }) => body.checks.replicas.status === 'error',
        paused,
      );
      console.log(`replay paused: replicas error ${lagging.ms} ms after the pause (max lag 1 s)`);
      expect(lagging.answer.status).toBe(200);
      expect(lagging.answer.body.status).toBe('degraded');
      const [replica] = lagging.answer.body.checks.replicas.hosts;
      expect(replica).toMatchObject({ host: standby.address, status: 'error', streaming: true });
      expect(replica.lag_seconds).toBeGreaterThan(1);
      expect(replica.lag_bytes).toBeGreaterThan(0);
      expect(replica.detail).toMatch(/^replay lag \d+(\.\d+)? s is over 1 s$/);
      expect(lagging.answer.body.checks.replicas.detail).toBe(
        `1 of 1 replica failing: ${standby.address} ${replica.detail}`,
      );

      const metrics = await (await fetch(`${service.url}/api/v1/metrics`)).text();
      expect(metrics).toContain(`secuscan_health_check_item_up{check="replicas",item="${standby.address}"} 0`);
      expect(metrics).toMatch(
        new RegExp(
          `^secuscan_health_check_item_value\\{check="replicas",item="${standby.address}",field="lag_bytes"\\} [1-9]`,
          'm',
        ),
      );
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
    const resumed = performance.now();
    const caughtUp = await untilReport(service, 'healthy again', ({ body }) => body.status === 'healthy', resumed);
    console.log(`replay resumed: healthy ${caughtUp.ms} ms after the resume`);
    expect(caughtUp.answer.body.checks.replicas.hosts[0]).toMatchObject({
      status: 'ok',
      lag_seconds: 0,
      streaming: true,
    });
  });

  it('an idle primary is no lag: a caught-up replica stays at 0 s however old its last replayed commit', async () => {
    const service = await start({
      DATABASE_URL: urlOf(primary),
      DATABASE_REPLICA_URLS: urlOf(standby),
      HEALTH_REPLICA_MAX_LAG_MS: '1000',
    });
    // The commit the paused test made has been replayed; the primary has written nothing since.
    await waitFor(
      async () =>
        (
          await standby.query<{ old: boolean }>(
            `SELECT now() - pg_last_xact_replay_timestamp() > interval '1.5 s' AS old`,
          )
        )[0]?.old,
      { what: 'the last replayed commit to be older than the allowed lag', timeoutMs: 30_000 },
    );
    const { body } = await service.get();
    expect(body.checks.replicas.hosts[0]).toMatchObject({ status: 'ok', lag_seconds: 0 });
    expect(body.status).toBe('healthy');
  });

  it('a replica that is down is an error of its own, beside the others: report, CLI, status page, schema', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const service = await start({ DATABASE_URL: urlOf(primary), DATABASE_REPLICA_URLS: urlOf(standby, dead) });
    const { answer } = await untilReport(service, 'degraded', ({ body }) => body.status === 'degraded');
    expect(answer.body.checks.replicas).toMatchObject({ status: 'error', total: 2, healthy: 1 });
    expect(answer.body.checks.replicas.hosts).toEqual([
      expect.objectContaining({ host: standby.address, status: 'ok', streaming: true }),
      {
        host: dead,
        status: 'error',
        lag_bytes: null,
        lag_seconds: null,
        streaming: false,
        detail: `unreachable: connect ECONNREFUSED ${dead}`,
      },
    ]);
    expect(answer.body.checks.replicas.detail).toBe(
      `1 of 2 replicas failing: ${dead} unreachable: connect ECONNREFUSED ${dead}`,
    );

    const run = await cli(['--url', `${service.url}/api/v1/health`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^database +ok +\\d+\\.\\d ms +host=${primary.address}$`, 'm'));
    expect(run.stdout).toMatch(/^replicas +error +\d+\.\d ms +1 of 2 replicas failing: /m);

    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${service.url}/status`);
      const items = page.locator('.card:has(h3:text-is("replicas")) .item');
      await items.nth(1).waitFor();
      expect(await Promise.all([0, 1].map((i) => items.nth(i).getAttribute('data-status')))).toEqual(['ok', 'error']);
      const [ok, down] = await items.allTextContents();
      expect(ok).toMatch(new RegExp(`^${standby.address} OK.*streaming yes$`));
      expect(down).toMatch(new RegExp(`^${dead} Errorunreachable: connect ECONNREFUSED .*streaming no$`));
    } finally {
      await browser.close();
    }

    const doc = (await (await fetch(`${service.url}/api/docs-json`)).json()) as Json;
    const replicas = doc.components.schemas.HealthChecks.properties.replicas;
    expect(replicas.allOf[1].properties.hosts.items.required).toEqual([
      'host',
      'status',
      'lag_bytes',
      'lag_seconds',
      'streaming',
      'detail',
    ]);
  });

  it('a replica that hangs: "no answer" within the check timeout, the others still measured, its socket cut', async () => {
    const open = new Set<Socket>();
    let accepted = 0;
    const hung: Server = createServer((socket) => {
      accepted++;
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => open.delete(socket));
      // It reads what it is sent (so it sees the client close) and never answers.
      socket.resume();
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const hungAt = `127.0.0.1:${(hung.address() as AddressInfo).port}`;
    try {
      const service = await start({
        DATABASE_URL: urlOf(primary),
        DATABASE_REPLICA_URLS: urlOf(standby, hungAt),
        HEALTH_DB_TIMEOUT_MS: '1000',
      });
      for (let evaluation = 1; evaluation <= 2; evaluation++) {
        const { body, ms } = await service.get();
        expect(ms).toBeLessThan(2500);
        expect(body.checks.replicas.hosts).toEqual([
          expect.objectContaining({ host: standby.address, status: 'ok' }),
          expect.objectContaining({ host: hungAt, status: 'error', detail: 'unreachable: no answer in 900 ms' }),
        ]);
      }
      // Each evaluation's connection to the hung replica was cut when it gave up on it: none piles up.
      await waitFor(() => open.size === 0, { what: 'the hung replica to see its connections closed' });
      expect(accepted).toBe(2);
    } finally {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => hung.close(() => resolve()));
    }
  });

  it('a partitioned primary (it hangs) and a promoted standby: followed within a few check timeouts', async () => {
    const proxy = await FaultProxy.start({ host: '127.0.0.1', port: primary.port });
    const other = await PrivatePostgres.standbyOf(primary);
    try {
      const service = await start({
        DATABASE_URL: urlOf(`127.0.0.1:${proxy.port}`, other),
        HEALTH_DB_TIMEOUT_MS: '1000',
      });
      await untilReport(service, 'healthy through the proxy', ({ body }) => body.status === 'healthy');
      const cut = performance.now();
      await proxy.setMode('blackhole');
      await other.promote();
      const followed = await untilReport(
        service,
        'the database check on the promoted standby',
        ({ body }) => body.checks.database.status === 'ok' && body.checks.database.host === other.address,
        cut,
      );
      console.log(`partition: database ok on the promoted standby ${followed.ms} ms after the cut (1 s check timeout)`);
      expect(followed.ms).toBeLessThan(10_000);
    } finally {
      await other.destroy();
      await proxy.close();
    }
  });

  it('failover: the primary stops, the standby is promoted, and the service follows it by itself', async () => {
    const service = await start({
      DATABASE_URL: urlOf(primary, standby),
      DATABASE_REPLICA_URLS: urlOf(standby),
    });
    await untilReport(
      service,
      'healthy on the primary',
      ({ body }) => body.checks.database.host === primary.address && body.status === 'healthy',
    );

    const stopped = performance.now();
    await primary.stop();
    const outage = await untilReport(service, 'unhealthy', ({ body }) => body.status === 'unhealthy', stopped);
    expect(outage.answer.body.checks.database.detail).toMatch(/^connected to a read-only standby: no writable host \(/);

    const promoting = performance.now();
    await standby.promote();
    const promoted = performance.now();
    const followed = await untilReport(
      service,
      'the database check on the promoted standby',
      ({ body }) => body.checks.database.status === 'ok' && body.checks.database.host === standby.address,
      promoted,
    );
    const sinceStop = Math.round(performance.now() - stopped);
    console.log(
      `failover: unhealthy ${outage.ms} ms after the primary stopped; promotion took ${Math.round(promoted - promoting)} ms; ` +
        `database ok on the new primary ${followed.ms} ms after pg_ctl promote returned (${sinceStop} ms after the stop)`,
    );
    expect(followed.answer.status).toBe(200);
    // The replica it watched is the primary now: the replicas check says so, the service is degraded, not down.
    expect(followed.answer.body.status).toBe('degraded');
    expect(followed.answer.body.checks.replicas.hosts[0]).toMatchObject({
      host: standby.address,
      status: 'error',
      detail: 'not a standby: pg_is_in_recovery() is false (promoted?)',
    });
    // The bound the docs quote: followed within a few seconds of the promotion.
    expect(followed.ms).toBeLessThan(5000);
  });
});
