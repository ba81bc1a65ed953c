import { spawn } from 'node:child_process';
import { ROOT } from './repository';

/** Running the container healthcheck as Docker, compose and the image run it, and what a run must print. */

/** How a run ended, what it printed and how long it took. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The healthcheck command `npm run build` produces, as the Dockerfile and compose give it. */
export const SCRIPT = ['node', 'dist/cli/healthcheck.js'];

/**
 * Runs `argv` in the repository root (the image's WORKDIR holds the same dist/) with exactly `env` plus PATH, as
 * a container runs its healthcheck; killed after 15 s, so a hung run fails instead of hanging the suite.
 */
export function run(argv: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr, ms: performance.now() - start });
    });
  });
}

/** The script exited with `code` after printing exactly `line` and nothing on stderr (node's own errors land there). */
export function expectRun(result: Run, code: number, line: string): void {
  const { code: seenCode, stdout, stderr } = result;
  expect({ code: seenCode, stdout, stderr }).toEqual({ code, stdout: `${line}\n`, stderr: '' });
}
