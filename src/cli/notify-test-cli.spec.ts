import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostFn, PostOutcome } from '../notify/http-post';
import { parseArgs } from './health-cli-args';
import { runNotifyTest } from './notify-test-cli';

const NO_ENV_FILE = join(tmpdir(), 'secuscan-notify-test-no-such-file.env');

/** A run with a fake POST answering by URL, capturing what was sent and printed. */
async function run(env: Record<string, string>, answers: Record<string, PostOutcome>, envFile = NO_ENV_FILE) {
  const out: string[] = [];
  const err: string[] = [];
  const sent: Array<{ url: string; body: string; headers: Record<string, string> }> = [];
  const post: PostFn = (url, { body, headers }) => {
    sent.push({ url, body, headers: { ...headers } });
    return Promise.resolve(answers[url] ?? { kind: 'answered', status: 200, ms: 3 });
  };
  const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), post, envFile };
  const code = await runNotifyTest({ timeoutMs: 5000 }, env, io);
  return { code, stdout: out.join(''), stderr: err.join(''), sent };
}

describe('notify-test', () => {
  it('is a subcommand with its own options', () => {
    expect(parseArgs(['notify-test'], {})).toEqual({ kind: 'notify-test', options: { timeoutMs: 5000 } });
    expect(parseArgs(['notify-test', '--timeout=800'], {})).toEqual({
      kind: 'notify-test',
      options: { timeoutMs: 800 },
    });
    expect(parseArgs(['notify-test', '--url', 'http://h'], {})).toMatchObject({ kind: 'usage-error' });
    expect(parseArgs(['notify-test', '--timeout', 'soon'], {})).toMatchObject({ kind: 'usage-error' });
  });

  it('sends one test to every target in its format and exits 0 when all answer 2xx', async () => {
    const { code, stdout, stderr, sent } = await run(
      {
        HEALTH_NOTIFY_URLS: 'https://hooks.example.com/in/SECRET1,slack+https://hooks.slack.com/services/SECRET2',
        HEALTH_NOTIFY_SECRET: 'k',
        APP_NAME: 'scanner',
      },
      {},
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      /^webhook#1 \(hooks\.example\.com\) +ok +HTTP 200 in \d+ ms\nslack#2 \(hooks\.slack\.com\) +ok /,
    );
    expect(stdout).not.toContain('SECRET');
    expect(JSON.parse(sent[0].body)).toMatchObject({ event: 'test', service: 'scanner', status: null });
    expect(sent[0].headers['x-secuscan-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(JSON.parse(sent[1].body)).toEqual({ text: expect.stringMatching(/^\*scanner: test notification\*/) });
  });

  it('exits 1 when a target does not answer 2xx, and says why without its secret parts', async () => {
    const { code, stdout } = await run(
      { HEALTH_NOTIFY_URLS: 'https://a.example/ok,discord+https://discord.com/api/webhooks/1/SECRET' },
      {
        'https://discord.com/api/webhooks/1/SECRET': {
          kind: 'failed',
          problem: 'refused at /api/webhooks/1/SECRET',
          timedOut: false,
          ms: 1,
        },
      },
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^discord#2 \(discord\.com\) +failed +refused at …$/m);
    expect(stdout).not.toContain('SECRET');
  });

  it('exits 2 without a target, or with a bad setting named on one line', async () => {
    expect(await run({}, {})).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/HEALTH_NOTIFY_URLS is not set/),
    });
    const bad = await run({ HEALTH_NOTIFY_URLS: 'teams+https://x.example/SECRET' }, {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^secuscan-health: invalid configuration: HEALTH_NOTIFY_URLS item 1 has an unknown format/,
    );
    expect(bad.stderr).not.toContain('SECRET');
    expect(bad.sent).toEqual([]);
  });

  it('reads the targets from the env file when the environment has none, as the service does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secuscan-notify-test-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, 'HEALTH_NOTIFY_URLS=ntfy+https://ntfy.example/alerts\nAPP_NAME=from-file\n');
      const { code, sent } = await run({ APP_NAME: 'from-env' }, {}, file);
      expect(code).toBe(0);
      expect(sent.map((s) => [s.url, s.headers.title])).toEqual([
        ['https://ntfy.example/alerts', 'from-env: test notification'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
