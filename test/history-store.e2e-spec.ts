import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { HistoryDatabase } from '../src/history-store/history-database';
import { RunningApp, startApp } from './support/app';
import { waitFor } from './support/wait';

const DAY_MS = 86_400_000;

/**
 * A folder that exists and that this process cannot write in, whoever runs the tests: a folder made read-only
 * (0555) stops an ordinary user, but not root, which writes anywhere on a disk; for root, sysfs, where no one can
 * create a file.
 */
function readOnlyFolder(scratch: string): string {
  const folder = join(scratch, 'read-only');
  mkdirSync(folder);
  chmodSync(folder, 0o555);
  try {
    writeFileSync(join(folder, 'probe'), '');
  } catch {
    return folder;
  }
  rmSync(join(folder, 'probe'));
  accessSync('/sys/kernel', constants.R_OK);
  return '/sys/kernel';
}

/** The rows of `table` in the file at `path`, read by a connection of the test's own. */
function count(path: string, table: string, where = '1'): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number((db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe('durable history: where it cannot be kept', () => {
  let scratch: string;
  let app: RunningApp | undefined;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'history-e2e-'));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    chmodSync(scratch, 0o755);
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each([
    [
      'a folder under a file (it cannot be created)',
      (s: string) => (writeFileSync(join(s, 'file'), ''), join(s, 'file', 'data')),
    ],
    ['an existing folder it cannot write in', readOnlyFolder],
  ])('%s: one warning naming it, then serves with the history in memory', async (_case, folderOf) => {
    const folder = folderOf(scratch);
    app = await startApp({ HEALTH_DATA_DIR: folder });
    await app.until('healthy');
    const warnings = app.logger.lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.message)).toEqual([expect.stringContaining(join(folder, 'health.db'))]);
    expect(warnings[0].message).toMatch(/in memory only/);
    const history = await app.get('/health/history?window=24h');
    expect(history.status).toBe(200);
    expect(history.body.uptime).toEqual({ service: 100, database: 100, cache: 100, plugins: 100 });
    expect((history.body.transitions as Array<{ to: string }>).map((t) => t.to)).toEqual(['healthy']);
  });

  it('a corrupt health.db: one warning naming it, the file left as it was for the operator', async () => {
    const bytes = Buffer.from('this is not an SQLite file '.repeat(300));
    writeFileSync(join(scratch, 'health.db'), bytes);
    app = await startApp({ HEALTH_DATA_DIR: scratch });
    await app.until('healthy');
    expect(app.logger.find('warn', join(scratch, 'health.db'))).toEqual([expect.stringMatching(/not a database/)]);
    expect((await app.get('/health/history')).body.uptime.service).toBe(100);
    await app.close();
    app = undefined;
    expect(readFileSync(join(scratch, 'health.db'))).toEqual(bytes);
  });
});

describe('durable history: retention', () => {
  let scratch: string;
  let app: RunningApp | undefined;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'history-retention-'));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('rows older than HEALTH_RETENTION_DAYS go, at the first write after the start; newer ones stay', async () => {
    const path = join(scratch, 'health.db');
    const now = Date.now();
    const minute = (ms: number) => Math.floor(ms / 60_000);
    const row = (at: number) => ({
      minute: minute(at),
      name: 'service',
      evaluations: 1,
      failures: 0,
      p50Us: 1,
      p95Us: 1,
      maxUs: 1,
    });
    const file = HistoryDatabase.open(path, scratch);
    file.write(
      [row(now - 3 * DAY_MS), row(now - 2 * DAY_MS - 60_000), row(now - DAY_MS / 2)],
      [
        { at: now - 3 * DAY_MS, from: null, to: 'unhealthy', reason: 'database: three days ago' },
        { at: now - DAY_MS / 2, from: null, to: 'degraded', reason: 'cache: twelve hours ago' },
      ],
    );
    file.close();
    app = await startApp({ HEALTH_DATA_DIR: scratch, HEALTH_RETENTION_DAYS: '2' });
    // The timeline starts with what the retention keeps, before the purge has even run.
    const { transitions } = (await app.get('/health/history')).body as {
      transitions: Array<{ reason: string | null }>;
    };
    const reasons = transitions.map((t) => t.reason);
    expect(reasons).toEqual(['cache: twelve hours ago']);
    // Rows of before this start: the minute and the transition of twelve hours ago stay.
    const before = `minute < ${minute(now)}`;
    await waitFor(() => count(path, 'minutes', before) === 1, { what: 'the old minutes deleted', timeoutMs: 15_000 });
    expect(count(path, 'transitions', `at < ${now}`)).toBe(1);
    expect(count(path, 'days', `day < ${Math.floor(minute(now - 2 * DAY_MS) / 1440)}`)).toBe(0);
    expect(app.logger.find('log', 'older than 2 days')).toHaveLength(1);
  });
});

describe('GET /history?window=', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
    await app.until('healthy');
  });
  afterAll(() => app?.close());

  it.each(['15m', '24h', '7d', '30d'])('%s: uptime per name and 30 UTC days, today last', async (window) => {
    const { status, body } = await app.get(`/health/history?window=${window}`);
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining(['transitions', 'series', 'series_window', 'uptime', 'days']),
    );
    expect(body.uptime).toEqual({ service: 100, database: 100, cache: 100, plugins: 100 });
    expect(body.days).toHaveLength(30);
    expect((body.days as unknown[]).at(-1)).toEqual({
      date: new Date().toISOString().slice(0, 10),
      service: 100,
      database: 100,
      cache: 100,
      plugins: 100,
    });
    expect(body.days[0]).toEqual({
      date: new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10),
      service: null,
      database: null,
      cache: null,
      plugins: null,
    });
  });

  it.each(['1h', '30D', '', '15m&window=24h'])('window=%s: 400 with the reason as JSON', async (window) => {
    const { status, headers, body } = await app.get(`/health/history?window=${window}`);
    expect(status).toBe(400);
    expect(headers.get('content-type')).toBe('application/json');
    expect(body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'window must be one of 15m, 24h, 7d, 30d' });
  });
});
