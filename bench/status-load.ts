import autocannon from 'autocannon';
import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { EventStreamClient } from '../test/support/event-stream';
import { startServer, updateDocSection } from './bench-support';
import { PgQueryCounter } from './pg-query-counter';

/**
 * `npm run bench:status [-- --duration 10 --markdown]`: what open event streams cost the dependencies. One service
 * process (default TTL, 1000 ms) behind a PostgreSQL query counter, measured three ways in one run: 1,000 probes a
 * second alone, 100 open event streams alone, and both together. Prints the PostgreSQL queries counted at the wire
 * for each, side by side; `--markdown` also rewrites the table in docs/performance.md.
 */

const args = process.argv.slice(2);
const DURATION_S = Number(args[args.indexOf('--duration') + 1]) || 10;
const MARKDOWN = args.includes('--markdown');
const RATE = 1000;
const STREAMS = 100;

interface Scenario {
  name: string;
  probes: boolean;
  streams: boolean;
}

interface Result {
  name: string;
  probes: number;
  non2xx: number;
  queries: number;
  eventsPerStream: number | null;
}

const SCENARIOS: Scenario[] = [
  { name: `${RATE.toLocaleString('en-US')} probes/s alone`, probes: true, streams: false },
  { name: `${STREAMS} event streams alone`, probes: false, streams: true },
  { name: `${STREAMS} event streams + ${RATE.toLocaleString('en-US')} probes/s`, probes: true, streams: true },
];

function probeLoad(url: string, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 10, overallRate: RATE, duration: seconds }, (error, result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    );
  });
}

const idle = (seconds: number) =>
  new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), seconds * 1000));

async function measure(scenario: Scenario, base: string, counter: PgQueryCounter): Promise<Result> {
  const streams = scenario.streams
    ? await Promise.all(Array.from({ length: STREAMS }, () => EventStreamClient.open(`${base}/api/v1/health/events`)))
    : [];
  try {
    if (streams.some((s) => s.status !== 200)) throw new Error('an event stream was refused');
    const queriesBefore = counter.queries;
    const eventsBefore = streams.map((s) => s.events.length);
    const load = scenario.probes ? await probeLoad(`${base}/api/v1/health`, DURATION_S) : await idle(DURATION_S);
    const queries = counter.queries - queriesBefore;
    // Evaluations, one per refresh: each also brings a `series` event, and a change a `transition` event.
    const received = streams.map(
      (s, i) => s.events.filter((e, j) => j >= eventsBefore[i] && e.event === 'evaluation').length,
    );
    return {
      name: scenario.name,
      probes: load ? load.requests.total : 0,
      non2xx: load ? load.non2xx + load.errors : 0,
      queries,
      eventsPerStream: streams.length ? Math.min(...received) : null,
    };
  } finally {
    streams.forEach((s) => s.drop());
  }
}

function table(results: Result[]): string[] {
  const header = ['scenario', 'probes answered', 'PG queries', 'PG queries/s', 'events per stream (min)'];
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...results.map(
      (r) =>
        `| ${[
          r.name,
          r.probes.toLocaleString('en-US'),
          r.queries,
          (r.queries / DURATION_S).toFixed(2),
          r.eventsPerStream ?? '—',
        ].join(' | ')} |`,
    ),
  ];
}

async function main(): Promise<void> {
  const counter = await PgQueryCounter.start({ host: '127.0.0.1', port: 5432 });
  const results: Result[] = [];
  let child: ChildProcess | undefined;
  try {
    const server = await startServer(
      'dist/main.js',
      {
        DATABASE_URL: `postgres://postgres@127.0.0.1:${counter.port}/postgres`,
        REDIS_URL: 'redis://127.0.0.1:6379',
        HEALTH_SHUTDOWN_DELAY_MS: '0',
      },
      '/api/v1/health',
    );
    child = server.child;
    const { base } = server;
    for (const scenario of SCENARIOS) {
      process.stderr.write(`measuring ${scenario.name} (${DURATION_S} s)...\n`);
      results.push(await measure(scenario, base, counter));
    }
  } finally {
    child?.kill('SIGKILL');
    await counter.close();
  }
  const [alone, streamsOnly, together] = results;
  const checks: Array<[string, boolean]> = [
    [
      // One evaluation of slack: the measured windows need not start on an evaluation boundary.
      `PG queries, streams + probes vs probes alone: ${together.queries} vs ${alone.queries} (target: no more, ±1)`,
      together.queries <= alone.queries + 1,
    ],
    [
      `PG queries with streams alone: ${(streamsOnly.queries / DURATION_S).toFixed(2)}/s (target ≤ 1/s + 1)`,
      streamsOnly.queries <= DURATION_S + 1,
    ],
    [`probe errors: ${alone.non2xx + together.non2xx} (target 0)`, alone.non2xx + together.non2xx === 0],
  ];
  const report = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}. ` +
      `Date: ${new Date().toISOString().slice(0, 10)}. Command: \`npm run bench:status\` ` +
      `(${DURATION_S} s per scenario, TTL 1000 ms, autocannon at ${RATE} requests/s over 10 connections).`,
    '',
    ...table(results),
    '',
    ...checks.map(([text, pass]) => `    ${pass ? 'PASS' : 'FAIL'}  ${text}`),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (MARKDOWN) updateDocSection('docs/performance.md', 'status-bench', report);
  process.exitCode = checks.every(([, pass]) => pass) ? 0 : 1;
}

void main();
