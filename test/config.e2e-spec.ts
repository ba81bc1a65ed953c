import { execFile } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

/** A bad environment stops the real entry point with one line naming the variable (needs `npm run build`). */
describe('configuration errors stop the start', () => {
  // Separate processes that only load the app and stop: run side by side.
  it.concurrent.each([
    ['HEALTH_DB_TIMEOUT_MS', 'soon'],
    ['HEALTH_CACHE_TTL_MS', '-5'],
    ['PORT', 'http'],
    ['DATABASE_URL', 'postgres//missing-colon'],
    ['REDIS_URL', 'http://cache:6379'],
    ['LOG_FORMAT', 'xml'],
  ])('%s=%s exits 1 with one line naming it', async (name, value) => {
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [MAIN],
        { env: { PATH: process.env.PATH, [name]: value }, encoding: 'utf8', timeout: 20_000 },
        (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
      );
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^secuscan-health: invalid configuration: ${name} `));
    expect(run.stdout).toBe('');
  });
});
