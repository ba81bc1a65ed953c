import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY } from 'rxjs';
import { settingsFrom } from '../src/config/settings';
import type { HealthService } from '../src/health';
import { HistoryDatabase, type StoredTransition } from '../src/history-store/history-database';
import { HistoryStore } from '../src/history-store/history-store.service';
import { HISTORY_STORE_SETTINGS } from '../src/history-store/history-store.settings';
import type { MinuteRow } from '../src/history-store/minute-rollup';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait';
import { ROOT, updateDocSection } from './bench-support';

/**
 * `npm run bench:history [-- --starts 7 --asks 200 --markdown]`: the durable history at its size after 30 days of
 * three checks. Writes a health.db with a row per check (and the service) per minute for 30 days and a transition
 * every 2 hours; reports the file's size; starts the built service alternately on an empty data folder and on that
 * file (`--starts` each, after one of each), timing spawn → first 200 of liveness and of the history; then asks one
 * service on the full file `/history?window=` `--asks` times per window, one request at a time. `--markdown` also
 * writes the result into docs/performance.md.
 */

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => Number(args[args.indexOf(name) + 1]) || fallback;
const STARTS = option('--starts', 7);
const ASKS = option('--asks', 200);
const MARKDOWN = args.includes('--markdown');
const DAYS = 30;
const NAMES = ['service', 'database', 'cache', 'plugins'];
const DEPENDENCIES = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  PLUGINS_DIR: join(ROOT, 'test', 'fixtures', 'plugins-runnable'),
};
const TARGETS = { historyMs: 50, startupGrowthMs: 100, fileBytes: 10 * 1024 * 1024 };

/** Writes 30 days of rollups (a failed minute now and then) and transitions into `folder`; answers the file's bytes. */
function fillThirtyDays(folder: string): { bytes: number; rows: number; writeMs: number } {
  const path = join(folder, 'health.db');
  const db = HistoryDatabase.open(path, folder);
  const now = Math.floor(Date.now() / 60_000);
  const started = performance.now();
  let rows = 0;
  for (let day = DAYS; day > 0; day--) {
    const batch: MinuteRow[] = [];
    for (let minute = now - day * 1440; minute < now - (day - 1) * 1440; minute++) {
      for (const name of NAMES) {
        const failures = name === 'cache' && minute % 997 === 0 ? 3 : 0;
        batch.push({ minute, name, evaluations: 60, failures, p50Us: 2400, p95Us: 4100, maxUs: 18_000 });
      }
    }
    const transitions: StoredTransition[] = Array.from({ length: 12 }, (_, i) => ({
      at: (now - day * 1440 + i * 120) * 60_000,
      from: i % 2 ? 'degraded' : 'healthy',
      to: i % 2 ? 'healthy' : 'degraded',
      reason: i % 2 ? null : 'cache: redis PING timed out after 1000 ms',
    }));
    db.write(batch, transitions);
    rows += batch.length;
  }
  const writeMs = performance.now() - started;
  db.close();
  const bytes = ['', '-wal', '-shm'].reduce(
    (sum, end) => sum + (existsSync(path + end) ? statSync(path + end).size : 0),
    0,
  );
  return { bytes, rows, writeMs };
}

/**
 * What the file adds to a start, measured in this process where the machine's load blurs it less than a spawn: the
 * store opening the file, the timeline's seed (500 transitions), and the first uptime and days read over 30 days.
 */
function openInProcess(dataDir: string): number {
  const health = { evaluations$: EMPTY } as unknown as HealthService;
  const began = performance.now();
  const store = new HistoryStore(health, settingsFrom(HISTORY_STORE_SETTINGS, { HEALTH_DATA_DIR: dataDir }));
  store.recentTransitions(500);
  store.uptime('30d', NAMES.slice(1));
  store.days(NAMES.slice(1));
  const elapsed = performance.now() - began;
  store.onApplicationShutdown();
  return elapsed;
}

/** The built service on `dataDir`, on a free port. */
async function spawnService(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ...DEPENDENCIES,
      HEALTH_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: 'ignore',
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Asks `url` every 10 ms until it answers 200. */
async function firstOk(child: ChildProcess, url: string): Promise<void> {
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
      return fetch(url).then(
        async (response) => {
          await response.body?.cancel();
          return response.status === 200;
        },
        () => false,
      );
    },
    { what: `${url} to answer 200`, timeoutMs: 30_000, intervalMs: 10 },
  );
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

/** The process's CPU time so far, from /proc: utime and stime, in clock ticks (100 a second on Linux). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** One start: spawn → first 200 of liveness (and the CPU spent until then), and of the history. */
interface Start {
  liveMs: number;
  cpuMs: number;
  historyMs: number;
}

/** Spawn → first 200 of liveness, and of the history (the file opened and the timeline seeded). */
async function start(dataDir: string): Promise<Start> {
  const began = performance.now();
  const { child, base } = await spawnService(dataDir);
  try {
    await firstOk(child, `${base}/api/v1/health/live`);
    const liveMs = performance.now() - began;
    const cpuMs = cpuMsOf(child.pid!);
    await firstOk(child, `${base}/api/v1/health/history`);
    return { liveMs, cpuMs, historyMs: performance.now() - began };
  } finally {
    await stop(child);
  }
}

/** `/history?window=<window>` asked `ASKS` times, one at a time: the time of each whole answer (body read), sorted. */
async function askHistory(base: string, window: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < ASKS; i++) {
    const began = performance.now();
    const response = await fetch(`${base}/api/v1/health/history?window=${window}`);
    const body = (await response.json()) as { days?: unknown[] };
    times.push(performance.now() - began);
    if (response.status !== 200 || body.days?.length !== DAYS) throw new Error(`history answered ${response.status}`);
  }
  return times.sort((a, b) => a - b);
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(Math.ceil(q * sorted.length) - 1, sorted.length - 1)];
const ms = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const full = mkdtempSync(join(tmpdir(), 'bench-history-30d-'));
  try {
    const file = fillThirtyDays(full);
    const inProcess = Array.from({ length: 9 }, () => openInProcess(full));
    const emptyStarts: Start[] = [];
    const fullStarts: Start[] = [];
    // One of each first (Node's compile cache), then alternating, so both see the same machine.
    const warm = mkdtempSync(join(tmpdir(), 'bench-history-warm-'));
    await start(warm);
    rmSync(warm, { recursive: true, force: true });
    for (let i = 0; i < STARTS; i++) {
      process.stderr.write(`start ${i + 1} of ${STARTS}\n`);
      // The empty folder stays empty: each start gets a new one, as a first start has.
      const fresh = mkdtempSync(join(tmpdir(), 'bench-history-empty-'));
      emptyStarts.push(await start(fresh));
      rmSync(fresh, { recursive: true, force: true });
      fullStarts.push(await start(full));
    }
    const { child, base } = await spawnService(full);
    const windows: Record<string, number[]> = {};
    try {
      await firstOk(child, `${base}/api/v1/health/history`);
      for (const window of ['15m', '24h', '7d', '30d']) windows[window] = await askHistory(base, window);
    } finally {
      await stop(child);
    }

    const growth = median(fullStarts.map((s) => s.liveMs)) - median(emptyStarts.map((s) => s.liveMs));
    const cpuGrowth = median(fullStarts.map((s) => s.cpuMs)) - median(emptyStarts.map((s) => s.cpuMs));
    const historyGrowth = median(fullStarts.map((s) => s.historyMs)) - median(emptyStarts.map((s) => s.historyMs));
    const p95of30d = quantile(windows['30d'], 0.95);
    const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
    const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${load}`;
    const report = [
      `Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`,
      `Command: \`npm run bench:history\` (30 days × 1,440 minutes × 4 rows = ${file.rows.toLocaleString('en-US')} minute ` +
        `rows and ${DAYS * 12} transitions, written in ${ms(file.writeMs)}; ${STARTS} starts on each folder, alternating, ` +
        `after one warm-up start; ${ASKS} requests per window, one at a time; PostgreSQL and Redis up).`,
      '',
      '| data folder | health.db | spawn → first 200 of `/api/v1/health/live` (median) | CPU until then (median) | spawn → first 200 of `/api/v1/health/history` (median) |',
      '|---|---|---|---|---|',
      ...(
        [
          ['empty', '—', emptyStarts],
          ['30 days of three checks', mb(file.bytes), fullStarts],
        ] as const
      ).map(
        ([name, size, starts]) =>
          `| ${name} | ${size} | ${ms(median(starts.map((s) => s.liveMs)))} | ${ms(median(starts.map((s) => s.cpuMs)))} | ${ms(median(starts.map((s) => s.historyMs)))} |`,
      ),
      '',
      '| `GET /api/v1/health/history?window=` | median | p95 | max |',
      '|---|---|---|---|',
      ...Object.entries(windows).map(
        ([window, times]) =>
          `| \`${window}\` | ${ms(median(times))} | ${ms(quantile(times, 0.95))} | ${ms(times.at(-1)!)} |`,
      ),
      '',
      `    ${verdict(p95of30d < TARGETS.historyMs)}  /history?window=30d p95 ${ms(p95of30d)} (target: under ${TARGETS.historyMs} ms)`,
      `    ${verdict(cpuGrowth < TARGETS.startupGrowthMs)}  start-up growth ${ms(cpuGrowth)} of CPU to liveness (wall: ${ms(growth)} to liveness, ${ms(historyGrowth)} to the history, within this load's noise) (target: under ${TARGETS.startupGrowthMs} ms)`,
      `    ${verdict(median(inProcess) < TARGETS.startupGrowthMs)}  opening 30 days in process (the file, the timeline's 500 transitions, the first 30d uptime and days): median ${ms(median(inProcess))}, max ${ms(Math.max(...inProcess))} (target: under ${TARGETS.startupGrowthMs} ms)`,
      `    ${verdict(file.bytes < TARGETS.fileBytes)}  health.db ${mb(file.bytes)} for 30 days of three checks (target: under 10 MB)`,
    ].join('\n');
    process.stdout.write(`${report}\n`);
    if (MARKDOWN) await writeMarkdown(report);
    process.exitCode = report.includes('FAIL') ? 1 : 0;
  } finally {
    rmSync(full, { recursive: true, force: true });
  }
}

/** Writes `report` into docs/performance.md, laid out as Prettier would. */
async function writeMarkdown(report: string): Promise<void> {
  const file = 'docs/performance.md';
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(join(ROOT, file));
  const formatted = await prettier.format(report, { ...options, parser: 'markdown' });
  updateDocSection(file, 'history', `\n${formatted.trimEnd()}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
