import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ChildApp } from './support/child-app';
import { EventStreamClient } from './support/event-stream';
import { freePort } from './support/ports';
import { waitFor } from './support/wait';

/**
 * The built service (`node dist/main.js`, needs `npm run build`) stopped with SIGTERM and started again on the same
 * HEALTH_DATA_DIR: the history and the uptime of before the restart are still there.
 */
describe('durable history across a real restart', () => {
  let dataDir: string;
  const children: ChildApp[] = [];
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'history-restart-'));
  });
  afterAll(async () => {
    for (const child of children) await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    const child = await ChildApp.start({ HEALTH_DATA_DIR: dataDir, HEALTH_SHUTDOWN_DELAY_MS: '0', ...env });
    children.push(child);
    return child;
  };

  it('keeps the transitions and the uptime of the first run, and counts the second one on top', async () => {
    // First run: Redis refused, so degraded, with the cache failing every minute it runs.
    const first = await start({ REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    await first.until('degraded');
    await waitFor(async () => (await first.get('/health/history')).body.uptime?.cache === 0, {
      what: 'the first run counting the cache down',
    });
    // The id of the newest transition the first run gave, as a client of its event stream last saw it.
    const lastSeen = String((await first.get('/health/history')).body.transitions[0].id);
    first.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    // What the shutdown wrote, read by a connection of the test's own.
    const file = new DatabaseSync(join(dataDir, 'health.db'), { readOnly: true });
    try {
      // Written at the shutdown (the run was shorter than a closed minute's wait): every cache minute failed.
      const cache = file.prepare(
        "SELECT count(*) AS minutes, sum(failures > 0) AS failed FROM minutes WHERE name = 'cache'",
      );
      const { minutes, failed } = cache.get() as { minutes: number; failed: number };
      expect(minutes).toBeGreaterThanOrEqual(1);
      expect(failed).toBe(minutes);
      expect(file.prepare('SELECT to_status AS status FROM transitions').all()).toEqual([{ status: 'degraded' }]);
    } finally {
      file.close();
    }

    // Second run: healthy.
    const second = await start({});
    await second.until('healthy');
    const { body } = await second.get('/health/history?window=24h');
    const transitions = body.transitions as Array<{ from: string | null; to: string; reason: string | null }>;
    expect(transitions.map((t) => [t.from, t.to])).toEqual([
      [null, 'healthy'],
      [null, 'degraded'],
    ]);
    expect(transitions[1].reason).toMatch(/^cache: /);
    // The first run's minutes still count: the cache was down in them, the service never unhealthy.
    expect(body.uptime.cache).toBeLessThan(100);
    expect(body.uptime).toMatchObject({ service: 100, database: 100, plugins: 100 });
    const today = (body.days as Array<Record<string, unknown>>).at(-1)!;
    expect(today.date).toBe(new Date().toISOString().slice(0, 10));
    expect(today.cache).toBeLessThan(100);
    expect(today.service).toBe(100);

    // That client reconnects to the second run: an id the second run never gave, so a reset, not a replay of
    // whatever the second run numbered alike.
    const resumed = await EventStreamClient.open(`http://127.0.0.1:${second.port}/api/v1/health/events`, {
      'last-event-id': lastSeen,
    });
    try {
      await resumed.next((e) => e.event === 'evaluation', 'the latest evaluation');
      expect(resumed.events[0].event).toBe('reset');
      expect(JSON.parse(resumed.events[0].data)).toMatchObject({ reason: 'unknown' });
      expect(Number(resumed.events[0].id)).toBeGreaterThan(Number(lastSeen));
    } finally {
      resumed.drop();
    }
  });
});
