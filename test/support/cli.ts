import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve(__dirname, '../../dist/cli/health-cli.js');

/**
 * Runs the built CLI as people and CI do: its own process, stdout a pipe. Asynchronous on purpose — the app under
 * test lives in this process and must keep answering. `PORT`, `MANAGEMENT_PORT`, `HEALTH_TOKEN` and `NO_COLOR` are
 * dropped so only `env` sets them, and TERM is colour-capable so only the pipe can keep colours out; the spawn
 * timeout turns a hung CLI into a failure. `cwd` is where it runs (and where `notify-test` looks for `.env`).
 */
export function cli(args: string[], env: Record<string, string> = {}, { cwd }: { readonly cwd?: string } = {}) {
  const inherited: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['PORT', 'MANAGEMENT_PORT', 'HEALTH_TOKEN', 'NO_COLOR']) delete inherited[name];
  const start = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...inherited, ...env }, timeout: 10_000, cwd });
  let [stdout, stderr] = ['', ''];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr, ms: performance.now() - start }));
  });
}
