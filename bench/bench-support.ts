import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/support/ports';
import { waitFor } from '../test/support/wait';

/** The repository, from the compiled bench (`dist-bench/bench/`). */
export const ROOT = join(__dirname, '..', '..');

/** A server a benchmark started on a free loopback port. */
export interface BenchServer {
  readonly child: ChildProcess;
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
}

/**
 * Starts `script` (relative to the repository) with `env` on a free loopback port and resolves once `readyPath`
 * answers 200; fails at once if the process exits first. The caller kills `child` when done.
 */
export async function startServer(script: string, env: NodeJS.ProcessEnv, readyPath: string): Promise<BenchServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode} before answering`);
        return fetch(`${base}${readyPath}`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      { what: `${base}${readyPath} to answer 200`, timeoutMs: 20_000, intervalMs: 100 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, port, base };
}

/** Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` in `file` (relative to the repository). */
export function updateMarkedSection(file: string, name: string, markdown: string): void {
  const path = join(ROOT, file);
  const text = readFileSync(path, 'utf8');
  const [start, end] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  if (!text.includes(start) || !text.includes(end)) throw new Error(`${file} has no ${name} markers`);
  const before = text.slice(0, text.indexOf(start) + start.length);
  writeFileSync(path, `${before}\n${markdown}\n${text.slice(text.indexOf(end))}`);
}

/** {@link updateMarkedSection} in README.md. */
export function updateReadmeSection(name: string, markdown: string): void {
  updateMarkedSection('README.md', name, markdown);
}
