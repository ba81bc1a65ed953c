import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { startServer, updateDocSection, ROOT } from './bench-support';
import { FlappingRedis } from './flapping-redis';

/**
 * `npm run bench:resume [-- --transitions 10000 --rate 50 --duration 10 --service dist/main.js --markdown]`: what
 * a storm of resumed event streams costs a service with a long history. The built service (or `--service`, e.g. an
 * older build) keeps `--transitions` of them (`HEALTH_HISTORY_SIZE`), made by a stand-in Redis whose PING fails
 * every other time while probes evaluate at TTL 0. Then, for `--duration` seconds each: liveness asked every 20 ms
 * alone, and again while `--rate` streams a second resume with `Last-Event-ID: 0` (each read until its first
 * `evaluation` event, then dropped). Prints what the resumes got, liveness latency and the service's CPU.
 */

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const TRANSITIONS = Number(option('--transitions', '10000'));
const RATE = Number(option('--rate', '50'));
const DURATION_S = Number(option('--duration', '10'));
/** The service's entry point, relative to the repository as startServer takes it (an older build may be elsewhere). */
const SERVICE = relative(ROOT, resolve(option('--service', join(ROOT, 'dist', 'main.js'))));
const MARKDOWN = args.includes('--markdown');
const LIVENESS_EVERY_MS = 20;
const RESUME_TIMEOUT_MS = 5000;

/** What one resumed stream got. */
interface Resume {
  /** `live`: a 200 and the latest evaluation; `dead`: closed before that; `timeout`: neither within 5 s. */
  outcome: 'live' | 'dead' | 'timeout';
  bytes: number;
}

interface Phase {
  name: string;
  resumes: Resume[];
  liveness: number[];
  cpuPercent: number;
}

/** Opens the stream as a client that last saw event 0, reads it until its first evaluation, then drops it. */
function resume(base: string): Promise<Resume> {
  return new Promise((resolve) => {
    let bytes = 0;
    let text = '';
    const finish = (outcome: Resume['outcome']) => {
      clearTimeout(timer);
      req.destroy();
      resolve({ outcome, bytes });
    };
    const timer = setTimeout(() => finish('timeout'), RESUME_TIMEOUT_MS);
    const req = request(`${base}/api/v1/health/events`, { headers: { 'last-event-id': '0' }, agent: false });
    req.once('error', () => finish('dead'));
    req.once('response', (response) => {
      if (response.statusCode !== 200) return finish('dead');
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        // Only the tail can complete the marker; the replay before it may be megabytes.
        text = text.slice(-64) + chunk;
        if (text.includes('\nevent: evaluation\n')) finish('live');
      });
      response.once('close', () => finish('dead'));
    });
    req.end();
  });
}

/** One liveness answer's latency in ms, on a connection of its own as a kubelet makes it; Infinity when it fails. */
function liveness(base: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(`${base}/api/v1/health/live`, { agent: false, timeout: 10_000 }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode === 200 ? performance.now() - start : Infinity));
    });
    req.once('error', () => resolve(Infinity));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/** CPU seconds the process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 a second on Linux)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function measure(name: string, base: string, pid: number, rate: number): Promise<Phase> {
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  const end = started + DURATION_S * 1000;
  const latencies: number[] = [];
  const sampler = (async () => {
    while (performance.now() < end) {
      latencies.push(await liveness(base));
      await sleep(LIVENESS_EVERY_MS);
    }
  })();
  const resumes: Array<Promise<Resume>> = [];
  for (let i = 0; rate > 0 && started + (i * 1000) / rate < end; i++) {
    await sleep(Math.max(0, started + (i * 1000) / rate - performance.now()));
    resumes.push(resume(base));
  }
  await sampler;
  const cpuPercent = ((cpuSeconds(pid) - cpuBefore) / ((performance.now() - started) / 1000)) * 100;
  return { name, resumes: await Promise.all(resumes), liveness: latencies, cpuPercent };
}

/** Evaluates at TTL 0 with 8 callers until the stand-in Redis has been asked `count` times (one transition each). */
async function fill(base: string, redis: FlappingRedis, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (redis.pings < count) await fetch(`${base}/api/v1/health`).then((r) => r.arrayBuffer());
    }),
  );
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'failed');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function row(phase: Phase): string {
  const sorted = [...phase.liveness].sort((a, b) => a - b);
  const count = (outcome: Resume['outcome']) => phase.resumes.filter((r) => r.outcome === outcome).length;
  const bytes = phase.resumes.length ? `${(median(phase.resumes.map((r) => r.bytes)) / 1024).toFixed(1)} KiB` : '—';
  return `| ${[
    phase.name,
    phase.resumes.length ? `${count('live')} / ${phase.resumes.length}` : '—',
    phase.resumes.length ? count('dead') + count('timeout') : '—',
    bytes,
    ms(percentile(sorted, 0.5)),
    ms(percentile(sorted, 0.99)),
    ms(sorted[sorted.length - 1]),
    `${phase.cpuPercent.toFixed(0)} %`,
  ].join(' | ')} |`;
}

async function main(): Promise<void> {
  const redis = await FlappingRedis.start();
  const server = await startServer(
    SERVICE,
    {
      REDIS_URL: redis.url,
      HEALTH_CACHE_TTL_MS: '0',
      HEALTH_HISTORY_SIZE: String(TRANSITIONS),
      HEALTH_SHUTDOWN_DELAY_MS: '0',
      PLUGINS_DIR: join(ROOT, 'test', 'fixtures', 'plugins-runnable'),
    },
    '/api/v1/health/live',
  );
  const phases: Phase[] = [];
  let historyBytes: number;
  const loadStart = loadavg()[0];
  try {
    process.stderr.write(`recording ${TRANSITIONS} transitions...\n`);
    const fillStart = performance.now();
    await fill(server.base, redis, TRANSITIONS + 10);
    process.stderr.write(`  in ${((performance.now() - fillStart) / 1000).toFixed(1)} s\n`);
    historyBytes = (await (await fetch(`${server.base}/api/v1/health/history`)).arrayBuffer()).byteLength;
    const pid = server.child.pid!;
    process.stderr.write(`liveness alone (${DURATION_S} s)...\n`);
    phases.push(await measure('liveness alone', server.base, pid, 0));
    process.stderr.write(`liveness with ${RATE} resumes/s (${DURATION_S} s)...\n`);
    phases.push(await measure(`${RATE} resumes/s with Last-Event-ID: 0`, server.base, pid, RATE));
  } finally {
    server.child.kill('SIGKILL');
    await redis.close();
  }
  const header = [
    'phase',
    'resumes live',
    'resumes dead',
    'bytes per resume (median)',
    'liveness p50',
    'liveness p99',
    'liveness max',
    'service CPU',
  ];
  const [, storm] = phases;
  const stormP99 = percentile(
    [...storm.liveness].sort((a, b) => a - b),
    0.99,
  );
  const checks: Array<[string, boolean]> = [
    [
      `every resume got its status line and the latest evaluation: ${storm.resumes.filter((r) => r.outcome === 'live').length} of ${storm.resumes.length}`,
      storm.resumes.every((r) => r.outcome === 'live'),
    ],
    [`liveness p99 during the storm: ${ms(stormP99)} (target < 100 ms)`, stormP99 < 100],
  ];
  const report = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ` +
      `${loadStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end. Date: ${new Date().toISOString().slice(0, 10)}.`,
    `Command: \`npm run bench:resume\` (${TRANSITIONS.toLocaleString('en-US')} transitions kept, ` +
      `\`GET /api/v1/health/history\` ${(historyBytes / 1024).toFixed(1)} KiB; ${DURATION_S} s per phase, liveness every ` +
      `${LIVENESS_EVERY_MS} ms on a new connection each).`,
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...phases.map(row),
    '',
    ...checks.map(([text, pass]) => `    ${pass ? 'PASS' : 'FAIL'}  ${text}`),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  if (MARKDOWN) updateDocSection('docs/performance.md', 'resume-bench', report);
  process.exitCode = checks.every(([, pass]) => pass) ? 0 : 1;
}

void main();
