import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './repository';

let fetched: Promise<string> | undefined;

/**
 * promtool: `PROMTOOL`, else the copy `.ci/fetch-promtool.sh` keeps in the user's cache, fetching it when missing
 * (`npm run test:system` has already run it; a lone `npx jest` may be the first). The script is the one place that
 * knows where.
 */
function promtoolPath(): Promise<string> {
  if (process.env.PROMTOOL) return Promise.resolve(process.env.PROMTOOL);
  fetched ??= new Promise((resolve, reject) => {
    execFile(join(ROOT, '.ci', 'fetch-promtool.sh'), { timeout: 120_000 }, (error, stdout, stderr) =>
      error
        ? reject(
            new Error(`cannot fetch promtool (.ci/fetch-promtool.sh): ${error.message}\n${stderr}; or set PROMTOOL`),
          )
        : resolve(stdout.trim()),
    );
  });
  return fetched;
}

/** What promtool said when run with `args` (and `input` on stdin): its exit code and everything it printed. */
export async function promtool(args: string[], input = ''): Promise<{ code: number; output: string }> {
  const path = await promtoolPath();
  return new Promise((resolve, reject) => {
    const child = execFile(path, args, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        // Not found or not runnable: the test must fail, never pass without a verdict.
        reject(new Error(`cannot run promtool (${path}): ${error.message}; run .ci/fetch-promtool.sh`));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(input);
  });
}

/** What `promtool check metrics` said about `exposition`. */
export function promtoolCheckMetrics(exposition: string): Promise<{ code: number; output: string }> {
  return promtool(['check', 'metrics'], exposition);
}
