import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildApp } from './support/child-app';
import { maintenance } from './support/maintenance';

const TOKEN = 'maintenance-token-0123456789';
const BEARER = { authorization: `Bearer ${TOKEN}` };

/**
 * The window kept in HEALTH_DATA_DIR by the built service: it survives a real restart, an end survives one too,
 * and a folder that cannot be written is one warning with the window kept in memory.
 */
describe('maintenance windows across restarts of the built service', () => {
  let dir: string;
  let child: ChildApp | undefined;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'maintenance-restart-'))));
  afterEach(async () => {
    await child?.stop();
    child = undefined;
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (dataDir = dir) =>
    (child = await ChildApp.start({ HEALTH_DATA_DIR: dataDir, HEALTH_TOKEN: TOKEN, HEALTH_SHUTDOWN_DELAY_MS: '0' }));
  const base = (app: ChildApp) => `http://127.0.0.1:${app.port}`;
  const stop = async (app: ChildApp) => {
    app.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
  };

  it('a window survives a restart, and so does its end', async () => {
    let app = await start();
    const started = await maintenance(base(app), 'POST', {
      headers: BEARER,
      body: { minutes: 45, reason: 'upgrading nmap' },
    });
    expect(started.body).toMatchObject({ reason: 'upgrading nmap', persisted: true });
    await stop(app);
    expect(JSON.parse(readFileSync(join(dir, 'maintenance.json'), 'utf8'))).toEqual({
      since: started.body.since,
      until: started.body.until,
      reason: 'upgrading nmap',
    });

    app = await start();
    expect(app.stdout).toContain(`"message":"maintenance window until ${started.body.until} goes on"`);
    expect(await maintenance(base(app), 'GET', { headers: BEARER })).toMatchObject({
      status: 200,
      body: started.body,
    });
    expect((await app.get('/health')).body.maintenance).toEqual({
      until: started.body.until,
      reason: 'upgrading nmap',
    });
    expect((await maintenance(base(app), 'DELETE', { headers: BEARER })).status).toBe(200);
    expect(existsSync(join(dir, 'maintenance.json'))).toBe(false);
    await stop(app);

    app = await start();
    expect((await maintenance(base(app), 'GET', { headers: BEARER })).status).toBe(404);
    expect((await app.get('/health')).body).not.toHaveProperty('maintenance');
  });

  it('a folder it cannot write is one warning: the window holds in memory, answered as not persisted', async () => {
    // Root writes through permission bits; sysfs refuses new files to everyone.
    const unwritable = process.getuid?.() === 0 ? '/sys/kernel' : dir;
    chmodSync(dir, 0o555);
    const app = await start(unwritable);
    for (const minutes of [10, 20]) {
      const answer = await maintenance(base(app), 'POST', { headers: BEARER, body: { minutes } });
      expect(answer).toMatchObject({ status: 200, body: { persisted: false } });
    }
    expect(await maintenance(base(app), 'GET', { headers: BEARER })).toMatchObject({
      status: 200,
      body: { persisted: false },
    });
    expect((await app.get('/health')).body.maintenance).toEqual({ until: expect.any(String), reason: null });
    // The durable history warns of the same folder for its own file, once; the window adds one line of its own.
    const warnings = app.stdout
      .split('\n')
      .filter((line) => line.includes('"level":"warn"') && line.includes('"context":"Maintenance"'));
    expect(warnings).toEqual([
      expect.stringContaining(
        `"message":"cannot write ${unwritable}/maintenance.json (` /* the system's reason follows */,
      ),
    ]);
    expect(warnings[0]).toContain('); maintenance windows are kept in memory only"');
  });
});
