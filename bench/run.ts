import autocannon from 'autocannon';
import { cpus, totalmem } from 'node:os';
import { bareServerEnv } from './bare-body';
import { startServer, updateDocSection } from './bench-support';
import { PgQueryCounter } from './pg-query-counter';

/**
 * `npm run bench [-- --duration 5 --markdown]`: starts, one after another on this machine, this service (at the
 * default TTL and at TTL 0), the stock Terminus recipe and a bare node:http server, loads each with autocannon
 * (32 connections, a warm-up, then the measured run) on its health route, and prints requests/s, p50, p99, errors
 * and PostgreSQL queries per 1000 probes (counted at the wire), then the ratios against the performance targets.
 * `--markdown` also rewrites the results table in docs/performance.md.
 */

const args = process.argv.slice(2);
const DURATION_S = Number(args[args.indexOf('--duration') + 1]) || 5;
const WARMUP_S = 2;
const CONNECTIONS = 32;
const MARKDOWN = args.includes('--markdown');
const POSTGRES = { host: '127.0.0.1', port: 5432 };
const REDIS_URL = 'redis://127.0.0.1:6379';

interface Target {
  name: string;
  script: string;
  env: Record<string, string>;
}

interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  queriesPer1000: number | null;
}

const TARGETS: Target[] = [
  { name: 'secuscan-health (TTL 1000 ms)', script: 'dist/main.js', env: {} },
  { name: 'secuscan-health (TTL 0)', script: 'dist/main.js', env: { HEALTH_CACHE_TTL_MS: '0' } },
  { name: 'Terminus baseline', script: 'dist-bench/bench/terminus-baseline/main.js', env: {} },
  { name: 'bare node:http', script: 'dist-bench/bench/bare-server.js', env: bareServerEnv() },
];

/** autocannon's own histogram keeps whole milliseconds; the response events carry the exact duration. */
function load(url: string, seconds: number): Promise<{ result: autocannon.Result; latencies: Float64Array }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, pipelining: 1 }, (error, result) =>
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

async function measure(target: Target, counter: PgQueryCounter): Promise<Result> {
  const { child, base } = await startServer(
    target.script,
    { DATABASE_URL: `postgres://postgres@127.0.0.1:${counter.port}/postgres`, REDIS_URL, ...target.env },
    '/api/v1/health',
  );
  try {
    const url = `${base}/api/v1/health`;
    await load(url, WARMUP_S);
    const before = counter.queries;
    const { result, latencies } = await load(url, DURATION_S);
    const queries = counter.queries - before;
    const usesDatabase = !target.script.includes('bare-server');
    return {
      name: target.name,
      rps: result.requests.average,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      errors: result.errors + result.timeouts + result.non2xx,
      requests: result.requests.total,
      queriesPer1000: usesDatabase ? (queries / result.requests.total) * 1000 : null,
    };
  } finally {
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

const fixed = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function table(results: Result[]): string[] {
  const rows = results.map((r) => [
    r.name,
    fixed(r.rps),
    `${fixed(r.p50, 2)} ms`,
    `${fixed(r.p99, 2)} ms`,
    fixed(r.errors),
    r.queriesPer1000 === null ? '—' : fixed(r.queriesPer1000, 2),
  ]);
  const header = ['target', 'requests/s', 'p50', 'p99', 'errors', 'PG queries / 1000 probes'];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

function verdicts(results: Result[]): { lines: string[]; ok: boolean } {
  const [ttl, ttl0, terminus, bare] = results;
  const checks: Array<[string, boolean]> = [
    [`requests/s vs Terminus: ${fixed(ttl.rps / terminus.rps, 1)}x (target ≥ 5x)`, ttl.rps >= 5 * terminus.rps],
    [`requests/s vs bare node:http: ${fixed(ttl.rps / bare.rps, 2)}x (target ≥ 0.5x)`, ttl.rps >= 0.5 * bare.rps],
    [`p99 at TTL 1000: ${fixed(ttl.p99, 2)} ms (target < 5 ms)`, ttl.p99 < 5],
    [
      `PG queries per 1000 probes at TTL 1000: ${fixed(ttl.queriesPer1000 ?? NaN, 2)} (target ≤ 1)`,
      (ttl.queriesPer1000 ?? Infinity) <= 1,
    ],
    [
      `PG queries per 1000 probes at TTL 0: ${fixed(ttl0.queriesPer1000 ?? NaN, 2)} (target ≤ 300)`,
      (ttl0.queriesPer1000 ?? Infinity) <= 300,
    ],
    [`TTL 0 vs Terminus: ${fixed(ttl0.rps / terminus.rps, 1)}x requests/s`, true],
    [`errors: ${fixed(results.reduce((n, r) => n + r.errors, 0))} (target 0)`, results.every((r) => r.errors === 0)],
  ];
  return {
    lines: checks.map(([text, pass]) => `${pass ? 'PASS' : 'FAIL'}  ${text}`),
    ok: checks.every(([, pass]) => pass),
  };
}

async function main(): Promise<void> {
  const counter = await PgQueryCounter.start(POSTGRES);
  const results: Result[] = [];
  try {
    for (const target of TARGETS) {
      process.stderr.write(`measuring ${target.name} (${WARMUP_S} s warm-up + ${DURATION_S} s)...\n`);
      results.push(await measure(target, counter));
    }
  } finally {
    await counter.close();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const { lines, ok } = verdicts(results);
  const report = [
    `Machine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Command: \`npm run bench\` (autocannon, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, ${DURATION_S} s measured, one target at a time).`,
    '',
    ...table(results),
    '',
    ...lines.map((line) => `    ${line}`),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (MARKDOWN) updateDocSection('docs/performance.md', 'bench', report);
  process.exitCode = ok ? 0 : 1;
}

void main();
