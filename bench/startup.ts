import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/ports';
import { ROOT } from './bench-support';

/**
 * `npm run bench:startup`: how long `node dist/main.js` takes from spawn to its "listening" line, and the CPU the
 * process spent until then, with Node's compile cache (as it starts) and without it (NODE_DISABLE_COMPILE_CACHE=1,
 * the baseline), alternating in one run against the local PostgreSQL and Redis. Medians of 10 starts each, after one
 * start that fills the cache.
 */

const STARTS = 10;

interface Start {
  ms: number;
  cpuMs: number;
}

/** Starts the service, waits for its "listening" line, reads its CPU time from /proc, and stops it. */
async function start(env: Record<string, string>): Promise<Start> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  let ms = 0;
  let cpuMs = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    output += chunk.toString();
    if (!output.includes('listening on')) continue;
    ms = performance.now() - began;
    // utime and stime, in clock ticks (100 a second on Linux).
    const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    break;
  }
  if (!ms) throw new Error(`the service did not start: ${output.slice(-300)}`);
  child.kill('SIGKILL');
  await once(child, 'exit');
  return { ms, cpuMs };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function main(): Promise<void> {
  const modes = {
    'compile cache (as shipped)': {},
    'no compile cache (baseline)': { NODE_DISABLE_COMPILE_CACHE: '1' },
  };
  await start({});
  const results = new Map<string, Start[]>(Object.keys(modes).map((name) => [name, []]));
  for (let i = 0; i < STARTS; i++) {
    for (const [name, env] of Object.entries(modes)) results.get(name)?.push(await start(env));
  }
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}; ${STARTS} starts each.`,
  );
  console.log('| start-up | spawn → listening (median) | CPU until listening (median) |');
  console.log('|---|---|---|');
  for (const [name, starts] of results) {
    const ms = median(starts.map((s) => s.ms)).toFixed(0);
    const cpu = median(starts.map((s) => s.cpuMs)).toFixed(0);
    console.log(`| ${name} | ${ms} ms | ${cpu} ms |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
