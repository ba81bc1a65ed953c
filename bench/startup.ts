import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait';
import { bareServerEnv } from './bare-body';
import { ROOT, updateDocSection } from './bench-support';

/**
 * `npm run bench:startup [-- --starts 10 --markdown]`: how soon a freshly spawned process answers its first
 * liveness probe, for this service and the two references of `npm run bench`, alternating in one run against the
 * local PostgreSQL and Redis. Each start spawns the process, asks its liveness route every 10 ms until it answers
 * 200 (the time from spawn, and the CPU the process spent until then, read from /proc), then asks its full report
 * until that answers 200, and kills it. Medians of `--starts` starts each, after one start of each that fills Node's
 * compile cache. `--markdown` also writes the table into docs/performance.md.
 */

const args = process.argv.slice(2);
const STARTS = Number(args[args.indexOf('--starts') + 1]) || 10;
const MARKDOWN = args.includes('--markdown');
const POLL_MS = 10;
const DEPENDENCIES = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
};

interface Contender {
  readonly name: string;
  /** One sentence for the table's reader: what the process is. */
  readonly about: string;
  readonly script: string;
  readonly env: Record<string, string>;
  readonly live: string;
  readonly report: string;
}

const CONTENDERS: readonly Contender[] = [
  {
    name: 'secuscan-health (as shipped)',
    about:
      '`node dist/main.js` as the image runs it, with Node’s compile cache on (filled by the first start of the run).',
    script: 'dist/main.js',
    env: {},
    live: '/api/v1/health/live',
    report: '/api/v1/health',
  },
  {
    name: 'secuscan-health (no compile cache)',
    about: 'the same with `NODE_DISABLE_COMPILE_CACHE=1`: every module compiled again, as on a first start.',
    script: 'dist/main.js',
    env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    live: '/api/v1/health/live',
    report: '/api/v1/health',
  },
  {
    name: 'stock Terminus recipe',
    about:
      '`bench/terminus-baseline/main.ts`: Nest on Express with `TerminusModule`, `TypeOrmModule.forRoot` and a Redis ' +
      'client, every setting at its default; it connects to PostgreSQL before it listens. Its liveness route is ' +
      '`HealthCheckService.check([])` (no indicator), its report pings PostgreSQL and Redis.',
    script: 'dist-bench/bench/terminus-baseline/main.js',
    env: {},
    live: '/api/v1/health/live',
    report: '/api/v1/health',
  },
  {
    name: 'bare node:http',
    about:
      '`bench/bare-server.ts`: `http.createServer` answering every path with a precomputed report and loading ' +
      'nothing else, the floor (the start of Node itself).',
    script: 'dist-bench/bench/bare-server.js',
    env: bareServerEnv(),
    live: '/api/v1/health/live',
    report: '/api/v1/health',
  },
];

interface Start {
  /** Spawn → first 200 of the liveness route. */
  liveMs: number;
  /** CPU time (user + system) of the process until that answer. */
  cpuMs: number;
  /** Spawn → first 200 of the full report. */
  reportMs: number;
}

/** The process's CPU time so far, from /proc: utime and stime, in clock ticks (100 a second on Linux). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Asks `url` every {@link POLL_MS} until it answers 200; fails at once when the process has exited. */
async function firstOk(child: ChildProcess, url: string, what: string): Promise<void> {
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before answering ${url}`);
      return fetch(url).then(
        async (response) => {
          await response.body?.cancel();
          return response.status === 200;
        },
        () => false,
      );
    },
    { what: `${what} to answer 200 on ${url}`, timeoutMs: 30_000, intervalMs: POLL_MS },
  );
}

async function start(contender: Contender): Promise<Start> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const began = performance.now();
  const child = spawn(process.execPath, [join(ROOT, contender.script)], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      ...DEPENDENCIES,
      ...contender.env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: 'ignore',
  });
  try {
    await firstOk(child, `${base}${contender.live}`, contender.name);
    const liveMs = performance.now() - began;
    const cpuMs = cpuMsOf(child.pid!);
    await firstOk(child, `${base}${contender.report}`, contender.name);
    return { liveMs, cpuMs, reportMs: performance.now() - began };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;

function table(results: ReadonlyMap<Contender, Start[]>): string[] {
  const header = [
    'contender',
    'spawn → first 200 of `/api/v1/health/live` (median, min–max)',
    'CPU until then (median)',
    'spawn → first 200 of `/api/v1/health` (median)',
  ];
  const rows = [...results].map(([contender, starts]) => {
    const live = starts.map((s) => s.liveMs);
    return [
      contender.name,
      `${ms(median(live))} (${ms(Math.min(...live))}–${ms(Math.max(...live))})`,
      ms(median(starts.map((s) => s.cpuMs))),
      ms(median(starts.map((s) => s.reportMs))),
    ];
  });
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  for (const contender of CONTENDERS) await start(contender);
  const results = new Map<Contender, Start[]>(CONTENDERS.map((contender) => [contender, []]));
  for (let i = 0; i < STARTS; i++) {
    process.stderr.write(`round ${i + 1} of ${STARTS}\n`);
    for (const contender of CONTENDERS) results.get(contender)?.push(await start(contender));
  }
  const [shipped, , terminus] = CONTENDERS.map((contender) => median(results.get(contender)!.map((s) => s.liveMs)));
  const ok = shipped <= terminus;
  // The load of the machine says how far the wall times can be trusted; the CPU times move much less with it.
  const load = `load average ${loadBefore.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end`;
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, ${load}`;
  const report = [
    `Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Command: \`npm run bench:startup\` (${STARTS} start${STARTS === 1 ? '' : 's'} of each, alternating, after one start of each; every ` +
      `route asked every ${POLL_MS} ms from the spawn on; PostgreSQL and Redis up).`,
    '',
    ...table(results),
    '',
    `    ${ok ? 'PASS' : 'FAIL'}  first liveness answer as shipped ${ms(shipped)} vs the Terminus recipe ` +
      `${ms(terminus)} (target: at most the recipe's)`,
    '',
    ...CONTENDERS.map((contender) => `- **${contender.name}**: ${contender.about}`),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (MARKDOWN) await writeMarkdown(report);
  process.exitCode = ok ? 0 : 1;
}

/** Writes `report` into docs/performance.md, laid out as Prettier would (the table's columns padded). */
async function writeMarkdown(report: string): Promise<void> {
  const file = 'docs/performance.md';
  const prettier = await import('prettier');
  const options = await prettier.resolveConfig(join(ROOT, file));
  const formatted = await prettier.format(report, { ...options, parser: 'markdown' });
  // Blank lines inside the markers, as Prettier keeps them around a block of HTML.
  updateDocSection(file, 'startup', `\n${formatted.trimEnd()}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
