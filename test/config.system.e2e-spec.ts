import { execFile, spawnSync } from 'node:child_process';
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
    ['PORT', '0'],
    ['DATABASE_URL', 'postgres://u:Pct%zz@127.0.0.1:5432/postgres'],
    ['REDIS_URL', 'redis://127.0.0.1:6379/abc'],
    ['REDIS_URL', 'redis://127.0.0.1:6379/99'],
    ['REDIS_URL', 'redis://127.0.0.1:6379?connectTimeout=abc'],
    ['REDIS_URL', 'redis+sentinel://127.0.0.1:26379,127.0.0.1:26380'],
    ['REDIS_URL', 'redis+sentinel://127.0.0.1:26379,,127.0.0.1:26381/mymaster'],
    ['REDIS_URL', 'redis+sentinel://127.0.0.1:263790/mymaster'],
    ['REDIS_URL', 'redis+sentinel://127.0.0.1:26379/mymaster/zero'],
    ['REDIS_URL', 'redis+cluster://'],
    ['APP_VERSION', '1.0.0\nforged log line'],
    ['HEALTH_DETAILS', 'sometimes'],
    ['MANAGEMENT_PORT', 'admin'],
    ['HEALTH_ALLOWED_HOSTS', '*'],
    ['HEALTH_ALLOWED_HOSTS', 'https://health.example.com'],
    ['HEALTH_PUBLIC_URL', 'health.example.com'],
    ['HEALTH_PUBLIC_URL', 'https://user:secret@health.example.com'],
    ['HEALTH_HISTORY_SIZE', '74651'],
    ['HEALTH_NOTIFY_URLS', 'teams+https://example.com/hook'],
    ['HEALTH_NOTIFY_URLS', 'https://example.com/hook, mailto:ops@example.com'],
    ['HEALTH_NOTIFY_AFTER_MS', 'half a minute'],
    ['HEALTH_NOTIFY_INTERVAL_MS', '10'],
    ['APP_NAME', 'scanner\nforged log line'],
    ['HEALTH_RETENTION_DAYS', '0'],
    // Topologies: an empty host in the list, a port out of range, an empty list, a host named twice.
    ['DATABASE_URL', 'postgres://u:secret@db1:5432,,db3:5432/app'],
    ['DATABASE_URL', 'postgres://u:secret@db1:5432,db2:65536/app'],
    ['DATABASE_REPLICA_URLS', ','],
    ['DATABASE_REPLICA_URLS', 'postgres://u:secret@r1:5432,r1/app'],
    ['HEALTH_REPLICA_MAX_LAG_MS', 'ten seconds'],
  ])('%s=%j exits 1 with one line naming it', async (name, value) => {
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

describe('several bad variables', () => {
  it('are all named at once, one line each, whichever feature declares them', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        PORT: 'http',
        HEALTH_DB_TIMEOUT_MS: 'soon',
        PLUGINS_DIR: '',
        REDIS_URL: 'http://x',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'secuscan-health: invalid configuration: PORT must be a whole number from 1 to 65535 (got "http")',
      'secuscan-health: invalid configuration: HEALTH_DB_TIMEOUT_MS must be a whole number from 1 to 600000 (got "soon")',
      'secuscan-health: invalid configuration: REDIS_URL must start with redis:// or rediss:// or redis+sentinel:// ' +
        'or redis+cluster:// (got http://...)',
    ]);
  });
});

describe('secrets in a bad environment', () => {
  it.each([
    ['DATABASE_URL', 'postgres://u:s3cret%zz@127.0.0.1:5432/postgres'],
    ['REDIS_URL', 'redis://:s3cret@127.0.0.1:6379/99'],
    ['HEALTH_TOKEN', 's3cret'],
    // A raw "#" once made the password's tail the host: accepted, then reported as `getaddrinfo ENOTFOUND cr3t`.
    ['DATABASE_URL', 'postgres://postgres:s3@cr3t#s3cret@127.0.0.1:5432/postgres'],
    ['REDIS_URL', 'redis://:s3@cr3t#s3cret@127.0.0.1:6379'],
    // A notification target's path, token and user info are secrets too (Slack's path, Discord's token).
    ['HEALTH_NOTIFY_URLS', 'slack+ftp://hooks.slack.com/services/T0/B0/s3cret'],
    ['HEALTH_NOTIFY_URLS', 'discord+https://u:s3cret#cr3t@discord.com/api/webhooks/1/cr3t'],
    ['HEALTH_NOTIFY_URLS', 'hooks.slack.com/services/T0/B0/s3cret'],
    ['HEALTH_NOTIFY_URLS', 'ntfy+https://ntfy.sh/, https://s3cret.example/x'],
    ['REDIS_URL', 'redis+sentinel://:s3cret@127.0.0.1:26379/'],
    ['REDIS_URL', 'redis+cluster://:s3cret@127.0.0.1:7000,127.0.0.1:0'],
  ])('%s is named, its secret never printed', (name, value) => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH,
        HEALTH_DETAILS: 'when-authorized',
        HEALTH_TOKEN: 'long-enough-token-1234',
        [name]: value,
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`invalid configuration: ${name} `));
    expect(run.stderr + run.stdout).not.toContain('s3cret');
    expect(run.stderr + run.stdout).not.toContain('cr3t');
  });
});

describe('reserved characters written raw in a password', () => {
  it.each([
    ['DATABASE_URL', 'postgres://postgres:p@ss#word@127.0.0.1:5432/postgres', '"#"', '%23'],
    ['DATABASE_URL', 'postgres://postgres:p@ss@127.0.0.1:5432/postgres', '"@"', '%40'],
    ['REDIS_URL', 'redis://:pa ss@127.0.0.1:6379', 'space', '%20'],
  ])('%s=%j stops the start with one line naming the escape', (name, value, character, escape) => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, [name]: value },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^secuscan-health: invalid configuration: ${name} has .*${character}`));
    expect(lines[0]).toContain(`as ${escape}`);
    for (const piece of ['p@ss', 'ss#', 'word@', 'pa ss', '127.0.0.1']) expect(lines[0]).not.toContain(piece);
  });
});

describe('HEALTH_EVENTS_MAX against the connection budget', () => {
  /** The entry point under an open-file limit of `files` (soft and hard: node raises its soft limit to the hard one). */
  const start = (env: Record<string, string>, files?: number) =>
    spawnSync(
      files ? '/bin/sh' : process.execPath,
      files ? ['-c', `ulimit -n ${files} && exec "$@"`, 'sh', process.execPath, MAIN] : [MAIN],
      {
        env: { PATH: process.env.PATH, ...env },
        encoding: 'utf8',
        timeout: 20_000,
      },
    );

  it('stops the start when the streams would not fit in the management listener, saying how many fit', () => {
    // The management listener holds 256 connections at most, whatever the limit: 1000 streams never fit.
    const run = start({ MANAGEMENT_PORT: '9100', HEALTH_EVENTS_MAX: '1000' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^secuscan-health: invalid configuration: HEALTH_EVENTS_MAX must be at most \d+ here \(got 1000\): the management listener holds \d+ connections at an open-file limit of \d+, \d+ of them kept for liveness and readiness$/,
      ),
    ]);
  });

  it('holds the default of 100 to the budget a low file limit leaves (86 connections at 600)', () => {
    const run = start({ MANAGEMENT_PORT: '9100' }, 600);
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'secuscan-health: invalid configuration: HEALTH_EVENTS_MAX must be at most 76 here (got 100): the management ' +
        'listener holds 86 connections at an open-file limit of 600, 10 of them kept for liveness and readiness',
    ]);
  });
});

describe('a refused start', () => {
  it('loads none of Nest, the drivers or the app: the environment is checked first', () => {
    // Preloaded into the real entry point: at exit, prints the installed packages the process had loaded.
    const report = [
      "import { createRequire } from 'node:module';",
      "const { cache } = createRequire('/');",
      "const packageOf = (file) => file.split('/node_modules/').pop().split('/')[0];",
      "const loaded = () => [...new Set(Object.keys(cache).filter((f) => f.includes('/node_modules/')).map(packageOf))];",
      "process.on('exit', () => process.stdout.write(JSON.stringify(loaded())));",
    ].join('\n');
    const preload = `data:text/javascript,${encodeURIComponent(report)}`;
    const run = spawnSync(process.execPath, ['--import', preload, MAIN], {
      env: { PATH: process.env.PATH, HEALTH_DB_TIMEOUT_MS: 'soon' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.stderr).toMatch(/^secuscan-health: invalid configuration: HEALTH_DB_TIMEOUT_MS /);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([]);
  });
});
