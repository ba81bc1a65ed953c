import { ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait';
import { ROOT } from './bench-support';

/** One start of the built service over a plugins folder, under an open-file limit. */
export interface ScaleScenario {
  readonly name: string;
  readonly dir: string;
  /** How many plugin folders the folder holds: the service has read them all when total + invalid reaches it. */
  readonly folders: number;
  /** `ulimit -n` for the service, as a container or systemd unit may set it. */
  readonly openFiles: number;
  /** The checkout whose built service runs (default: this one), e.g. an older build to compare with. */
  readonly checkout?: string;
}

/** What {@link measureScale} saw for one scenario. */
export interface ScaleFigures {
  readonly name: string;
  readonly openFiles: number;
  readonly liveMs: number;
  readonly allReadMs: number;
  /** CPU the process spent from spawn until then: the figure a busy machine distorts least. */
  readonly allReadCpuMs: number;
  readonly total: number;
  readonly invalid: number;
  readonly rssLoadedMb: number;
  readonly rssIdleMb: number;
  readonly rssPeakMb: number;
  readonly idleCpuMs: number;
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM). */
async function memoryMb(pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
}

/** CPU time (user + system) of the process itself so far, in ms (its children, e.g. `python3`, not counted). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The plugin counts of the full report, or undefined while it does not answer. */
async function pluginCounts(base: string): Promise<{ total: number; invalid: number } | undefined> {
  try {
    const report = (await (await fetch(`${base}/api/v1/health`)).json()) as {
      checks?: { plugins?: { total?: number; invalid?: number } };
    };
    const plugins = report.checks?.plugins;
    return { total: plugins?.total ?? 0, invalid: plugins?.invalid ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * Starts `node dist/main.js` under `ulimit -n <openFiles>` and measures: spawn → first liveness answer, spawn → every
 * folder accounted for in the report (total + invalid) and the CPU spent until then, resident memory once loaded, then, with no request at all
 * for `idleSeconds`, the CPU the process spends and its resident memory afterwards, and its peak.
 */
async function measureOne(scenario: ScaleScenario, env: NodeJS.ProcessEnv, idleSeconds: number): Promise<ScaleFigures> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const checkout = scenario.checkout ?? ROOT;
  const child: ChildProcess = spawn(
    'bash',
    ['-c', `ulimit -n ${scenario.openFiles} && exec "$0" "$1"`, process.execPath, join(checkout, 'dist/main.js')],
    {
      cwd: checkout,
      env: { NODE_ENV: 'production', ...env, PLUGINS_DIR: scenario.dir, PORT: String(port), HOST: '127.0.0.1' },
      stdio: 'ignore',
    },
  );
  const pid = child.pid ?? 0;
  try {
    const alive = () => {
      if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    };
    await waitFor(
      async () => (alive(), (await fetch(`${base}/api/v1/health/live`).catch(() => undefined))?.status === 200),
      { what: 'liveness', timeoutMs: 30_000, intervalMs: 20 },
    );
    const liveMs = performance.now() - started;
    const counts = await waitFor(
      async () => {
        alive();
        const now = await pluginCounts(base);
        return now && now.total + now.invalid >= scenario.folders && now;
      },
      { what: `all ${scenario.folders} folders in the report`, timeoutMs: 120_000, intervalMs: 100 },
    );
    const allReadMs = performance.now() - started;
    const allReadCpuMs = await cpuMs(pid);
    // Let the first evaluations and the collections after the first scan settle before reading memory.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const rssLoadedMb = await memoryMb(pid, 'VmRSS');
    const cpuBefore = await cpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    return {
      name: scenario.name,
      openFiles: scenario.openFiles,
      liveMs,
      allReadMs,
      allReadCpuMs,
      ...counts,
      rssLoadedMb,
      idleCpuMs: (await cpuMs(pid)) - cpuBefore,
      rssIdleMb: await memoryMb(pid, 'VmRSS'),
      rssPeakMb: await memoryMb(pid, 'VmHWM'),
    };
  } finally {
    child.kill('SIGKILL');
  }
}

/** Each scenario in turn, one service at a time. */
export async function measureScale(
  scenarios: readonly ScaleScenario[],
  env: NodeJS.ProcessEnv,
  idleSeconds: number,
): Promise<ScaleFigures[]> {
  const results: ScaleFigures[] = [];
  for (const scenario of scenarios) results.push(await measureOne(scenario, env, idleSeconds));
  return results;
}

/** The figures as a markdown table. */
export function scaleTable(results: readonly ScaleFigures[], idleSeconds: number): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const rows = results.map((r) =>
    [
      r.name,
      n(r.openFiles),
      `${n(r.liveMs)} ms`,
      `${n(r.allReadMs)} ms (CPU ${n(r.allReadCpuMs)} ms)`,
      `${n(r.total)} / ${n(r.invalid)}`,
      `${n(r.rssLoadedMb)} MiB`,
      `${n(r.rssPeakMb)} MiB`,
      `${n(r.idleCpuMs)} ms`,
      `${n(r.rssIdleMb)} MiB`,
    ].join(' | '),
  );
  return [
    `| scenario | \`ulimit -n\` | spawn → live | spawn → every manifest in the report | total / invalid | RSS loaded | RSS peak | CPU in ${idleSeconds} s idle | RSS after idle |`,
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
