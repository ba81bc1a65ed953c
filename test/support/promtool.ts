import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where `.ci/fetch-promtool.sh` puts promtool unless `PROMTOOL_HOME` says otherwise. */
const FETCHED = '/tmp/secuscan-promtool/promtool';

/** promtool: `PROMTOOL`, else the fetched copy, else the one on PATH. */
function promtoolPath(): string {
  return process.env.PROMTOOL || (existsSync(FETCHED) ? FETCHED : 'promtool');
}

/** What `promtool check metrics` said about `exposition`: its exit code and everything it printed. */
export function promtoolCheckMetrics(exposition: string): Promise<{ code: number; output: string }> {
  const path = promtoolPath();
  return new Promise((resolve, reject) => {
    const child = execFile(path, ['check', 'metrics'], { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        // Not found or not runnable: the test must fail, never pass without a verdict.
        reject(new Error(`cannot run promtool (${path}): ${error.message}; run .ci/fetch-promtool.sh`));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
    child.stdin?.end(exposition);
  });
}
