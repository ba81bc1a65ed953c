import autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import { createServer, type Socket } from 'node:net';
import { startServer, updateDocSection } from './bench-support';

/**
 * `npm run bench:notify [-- --duration 10 --rounds 3 --markdown]`: what notifications being retried against a hanging
 * receiver cost liveness. Two processes of the built service side by side, loaded at the same time (so the machine's
 * other load falls on both alike), started afresh for each round, with the same environment
 * (PostgreSQL unreachable, so the service is unhealthy from its first evaluation) but for the notification settings:
 * one without targets, one with five targets on a receiver that accepts and never answers, notified at once and
 * reminded every 5 s, so every target always has a try timing out or a retry waiting, and a notification queued.
 * Each gets a warm-up, then autocannon at a steady rate on `/api/v1/health/live`; prints p50, p99 and max, and the
 * tries the receiver took, and compares the median p99 of the rounds. `--markdown` also rewrites the table in
 * docs/performance.md.
 */

const args = process.argv.slice(2);
const DURATION_S = Number(args[args.indexOf('--duration') + 1]) || 10;
const ROUNDS = Number(args[args.indexOf('--rounds') + 1]) || 3;
const MARKDOWN = args.includes('--markdown');
const WARMUP_S = 2;
const RATE = 1000;
const CONNECTIONS = 10;
const TARGETS = 5;

interface Result {
  name: string;
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  tries: number | null;
}

/** A receiver that takes every connection and never answers: each try costs the service its 5 s timeout. */
async function hangingReceiver(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    port: address.port,
    connections: () => connections,
    close: () => {
      sockets.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Steady load on `url`; the exact duration of every answer, sorted (autocannon's histogram keeps whole ms). */
function load(url: string, seconds: number): Promise<{ result: autocannon.Result; latencies: Float64Array }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, overallRate: RATE, duration: seconds },
      (error, result) =>
        error
          ? reject(error instanceof Error ? error : new Error(String(error)))
          : resolve({ result, latencies: Float64Array.from(latencies).sort() }),
    );
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode < 300) latencies.push(ms);
    });
  });
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** The built service with the shared environment plus `env`, started and answering liveness. */
function startService(env: Record<string, string>) {
  return startServer(
    'dist/main.js',
    {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HEALTH_SHUTDOWN_DELAY_MS: '0',
      ...env,
    },
    '/api/v1/health/live',
  );
}

/**
 * One round: both processes started afresh, warmed up, then loaded at the same time, so whatever else the machine
 * runs meanwhile weighs on both alike.
 */
async function round(n: number, busyEnv: Record<string, string>, tries: () => number): Promise<[Result, Result]> {
  const servers = await Promise.all([startService({}), startService(busyEnv)]);
  try {
    const urls = servers.map(({ base }) => `${base}/api/v1/health/live`);
    await Promise.all(urls.map((url) => load(url, WARMUP_S)));
    const triesBefore = tries();
    const [quiet, busy] = await Promise.all(urls.map((url) => load(url, DURATION_S)));
    const result = (name: string, { result, latencies }: Awaited<ReturnType<typeof load>>, t: number | null) => ({
      name: `${name} (round ${n})`,
      requests: result.requests.total,
      errors: result.errors + result.timeouts + result.non2xx,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies.at(-1) ?? NaN,
      tries: t,
    });
    return [
      result('no notification targets', quiet, null),
      result(`${TARGETS} targets hanging, retried`, busy, tries() - triesBefore),
    ];
  } finally {
    for (const { child } of servers) child.kill('SIGKILL');
    await Promise.all(servers.map(({ child }) => new Promise((resolve) => child.once('exit', resolve))));
  }
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

function table(results: Result[]): string[] {
  const header = ['liveness under 1,000 probes/s', 'answered', 'errors', 'p50', 'p99', 'max', 'tries at the receiver'];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...results.map(
      (r) =>
        `| ${[r.name, r.requests.toLocaleString('en-US'), r.errors, ms(r.p50), ms(r.p99), ms(r.max), r.tries ?? '—'].join(' | ')} |`,
    ),
  ];
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const receiver = await hangingReceiver();
  const urls = Array.from({ length: TARGETS }, (_, i) => `http://127.0.0.1:${receiver.port}/hook/${i + 1}`);
  const env = {
    HEALTH_NOTIFY_URLS: urls.join(','),
    HEALTH_NOTIFY_AFTER_MS: '0',
    // A delivery to a hanging receiver takes 18 s (three 5 s timeouts, 1 s and 2 s between them): a reminder every
    // 5 s keeps one in flight and one waiting at every target throughout, with no more evaluations than that needs.
    HEALTH_NOTIFY_REPEAT_MS: '5000',
  };
  const quiet: Result[] = [];
  const busy: Result[] = [];
  try {
    for (let n = 1; n <= ROUNDS; n++) {
      process.stderr.write(
        `round ${n}/${ROUNDS}: liveness without targets and with ${TARGETS} hanging, side by side...\n`,
      );
      const [without, withTargets] = await round(n, env, receiver.connections);
      quiet.push(without);
      busy.push(withTargets);
    }
  } finally {
    await receiver.close();
  }
  const median = (results: Result[]) => [...results].sort((a, b) => a.p99 - b.p99)[Math.floor(results.length / 2)].p99;
  const [quietP99, busyP99] = [median(quiet), median(busy)];
  const bound = Math.max(quietP99 * 1.5, quietP99 + 1);
  const tries = busy.reduce((sum, r) => sum + (r.tries ?? 0), 0);
  const errors = [...quiet, ...busy].reduce((sum, r) => sum + r.errors, 0);
  const checks: Array<[string, boolean]> = [
    [`tries at the hanging receiver: ${tries} (target > 0: deliveries were being retried)`, tries > 0],
    [
      `median liveness p99 with hanging targets vs none: ${ms(busyP99)} vs ${ms(quietP99)} (target ≤ ${ms(bound)}, ` +
        'the larger of 1.5x and +1 ms)',
      busyP99 <= bound,
    ],
    [`errors: ${errors} (target 0)`, errors === 0],
  ];
  const results = quiet.flatMap((result, i) => [result, busy[i]]);
  const report = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ` +
      `${loadBefore.toFixed(1)} → ${loadavg()[0].toFixed(1)}. Date: ${new Date().toISOString().slice(0, 10)}. Command: \`npm run bench:notify\` ` +
      `(${ROUNDS} rounds; in each, both processes side by side: ${WARMUP_S} s warm-up, then ${DURATION_S} s at ` +
      `${RATE} requests/s over ${CONNECTIONS} connections each, at the same time).`,
    '',
    ...table(results),
    '',
    ...checks.map(([text, pass]) => `    ${pass ? 'PASS' : 'FAIL'}  ${text}`),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (MARKDOWN) updateDocSection('docs/performance.md', 'notify-bench', report);
  process.exitCode = checks.every(([, pass]) => pass) ? 0 : 1;
}

void main();
