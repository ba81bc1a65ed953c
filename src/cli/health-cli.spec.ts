import { CliIo, runCli } from './health-cli';
import { FetchLike } from './http-get';

const REPORT = {
  status: 'degraded',
  version: '1.0.0',
  uptime_seconds: 7,
  checks: {
    database: { status: 'ok', latency_ms: 1, detail: null },
    cache: { status: 'error', latency_ms: 0.2, detail: 'redis unreachable: connect ECONNREFUSED 127.0.0.1:6379' },
  },
};

/** A run against a fake server answering `status` / `body`, capturing what the CLI wrote. */
async function run(argv: string[], answer: { status: number; body: string } | Error, env = {}, tty = false) {
  const out: string[] = [];
  const err: string[] = [];
  const fetch: FetchLike = jest.fn(() =>
    answer instanceof Error
      ? Promise.reject(answer)
      : Promise.resolve(new Response(answer.body, { status: answer.status })),
  );
  const io: CliIo = { fetch, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stdoutIsTty: tty };
  const code = await runCli(argv, env, io);
  return { code, stdout: out.join(''), stderr: err.join(''), fetch };
}

const degraded = { status: 200, body: JSON.stringify(REPORT) };

describe('runCli', () => {
  it('prints the table of the default URL and exits by the report status', async () => {
    const { code, stdout, stderr, fetch } = await run([], degraded, { PORT: '4000' });
    expect(code).toBe(1);
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:4000/api/v1/health', expect.anything());
    expect(stdout).toMatch(/^status: degraded .* url: http:\/\/127\.0\.0\.1:4000\/api\/v1\/health\n/);
    expect(stdout).toMatch(/^cache +error +0\.2 ms +redis unreachable: connect ECONNREFUSED 127\.0\.0\.1:6379$/m);
    expect(stderr).toBe('');
  });

  it('colours only a terminal without NO_COLOR', async () => {
    expect((await run([], degraded, {}, true)).stdout).toContain('\x1b[33mdegraded');
    expect((await run([], degraded, { NO_COLOR: '1' }, true)).stdout).not.toContain('\x1b');
    expect((await run([], degraded, {}, false)).stdout).not.toContain('\x1b');
  });

  it('prints the report as received with --json', async () => {
    const { code, stdout } = await run(['--json'], degraded);
    expect(code).toBe(1);
    expect(stdout).toBe(`${JSON.stringify(REPORT, null, 2)}\n`);
  });

  it('--json writes bidi and other invisible characters as \\u escapes, and still parses to the report', async () => {
    const spoofed = {
      ...REPORT,
      checks: { ...REPORT.checks, cache: { ...REPORT.checks.cache, detail: '\u202egnp.exe\u200b\u0085' } },
    };
    const { stdout } = await run(['--json'], { status: 200, body: JSON.stringify(spoofed) });
    // Newlines of the indentation aside, nothing a terminal would act on or hide.
    expect(stdout).not.toMatch(/[\u007f-\u009f\p{Cf}]/u);
    expect(stdout).toContain('"detail": "\\u202egnp.exe\\u200b\\u0085"');
    expect(JSON.parse(stdout)).toEqual(spoofed);
  });

  it('warns on stderr when the HTTP code disagrees, and still judges by the body', async () => {
    const { code, stdout, stderr } = await run(['--url', 'http://h/api/v1/health'], {
      status: 503,
      body: JSON.stringify(REPORT),
    });
    expect(code).toBe(1);
    expect(stdout).toContain('status: degraded');
    expect(stderr).toBe(
      'secuscan-health: warning: http://h/api/v1/health: HTTP 503 disagrees with status "degraded"; judged by the status\n',
    );
  });

  it('exits 2 with one stderr line and nothing on stdout for a malformed answer', async () => {
    const { code, stdout, stderr } = await run(['--json', '--url', 'http://h/api/v1/health'], {
      status: 200,
      body: 'not json',
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'secuscan-health: malformed answer from http://h/api/v1/health: HTTP 200 with "not json", not JSON\n',
    );
  });

  it('exits 2 with one stderr line when the service cannot be reached', async () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const refused = new TypeError('fetch failed', { cause });
    const { code, stdout, stderr } = await run(['--url', 'http://h/api/v1/health'], refused);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('secuscan-health: cannot reach http://h/api/v1/health: ECONNREFUSED (nothing listening)\n');
  });

  it('exits 2 on a usage error without fetching anything', async () => {
    const { code, stdout, stderr, fetch } = await run(['--timeout', 'soon'], degraded);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^secuscan-health: --timeout must be .*\(see --help\)\n$/);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('sends HEALTH_TOKEN as a bearer token, and only when set', async () => {
    const withToken = await run([], degraded, { HEALTH_TOKEN: 's3cret-token-0123456789' });
    expect(withToken.fetch).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({
        headers: expect.objectContaining({ authorization: 'Bearer s3cret-token-0123456789' }),
      }),
    );
    const without = await run([], degraded);
    expect(without.fetch).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ headers: { accept: 'application/json' } }),
    );
  });

  it('explains a 401 in one line, never echoing the token, and exits 2', async () => {
    const refused = { status: 401, body: '{"statusCode":401,"message":"a bearer token is required"}' };
    const anonymous = await run(['plugins'], refused);
    expect(anonymous.code).toBe(2);
    expect(anonymous.stdout).toBe('');
    expect(anonymous.stderr).toMatch(/answered 401: it shows details only with a token \(set HEALTH_TOKEN/);
    const wrong = await run(['plugins'], refused, { HEALTH_TOKEN: 'wrong-token-0123456789' });
    expect(wrong.stderr).toMatch(/the service refused HEALTH_TOKEN\)\n$/);
    expect(wrong.stderr).not.toContain('wrong-token');
  });

  it('explains a 421 (a host name the service does not answer) in one line naming the setting, and exits 2', async () => {
    const misdirected = { status: 421, body: '{"message":"Misdirected Request","statusCode":421}' };
    for (const args of [
      ['--url', 'http://Health.Example.com:3000'],
      ['plugins', '--url', 'http://health.example.com:3000'],
    ]) {
      const { code, stdout, stderr } = await run(args, misdirected);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^secuscan-health: http:\/\/health\.example\.com:3000\/api\/v1\/health(\/plugins)? answered 421: the service does not answer to the name health\.example\.com \(use its IP address, or add the name to its HEALTH_ALLOWED_HOSTS\)\n$/,
      );
    }
  });

  it('finds the plugin diagnostics from the report URL given to "plugins"', async () => {
    const { fetch } = await run(['plugins', '--url', 'http://h:3000/api/v1/health'], { status: 500, body: '' });
    expect(fetch).toHaveBeenCalledWith('http://h:3000/api/v1/health/plugins', expect.anything());
  });

  it('explains a status-only answer (no details) on stderr, naming HEALTH_TOKEN, and exits by its status', async () => {
    const summary = {
      status: 200,
      body: JSON.stringify({ status: 'healthy', checks: { database: { status: 'ok' } } }),
    };
    const anonymous = await run([], summary);
    expect(anonymous.code).toBe(0);
    expect(anonymous.stdout).toMatch(/^status: healthy/);
    expect(anonymous.stderr).toMatch(
      /^secuscan-health: warning: http:\/\/127\.0\.0\.1:3000\/api\/v1\/health: the answer has the statuses only, no details: set HEALTH_TOKEN to the service's token/,
    );
    expect(anonymous.stderr.split('\n')).toHaveLength(2);
    const wrong = await run(['--json'], summary, { HEALTH_TOKEN: 'wrong-token-0123456789' });
    expect(wrong.code).toBe(0);
    expect(wrong.stderr).toContain('the service did not take HEALTH_TOKEN as its token');
    expect(wrong.stderr).not.toContain('wrong-token');
    const full = await run([], degraded);
    expect(full.stderr).toBe('');
  });

  it('prints the usage on stdout and exits 0 for --help', async () => {
    const { code, stdout, fetch } = await run(['--help'], degraded);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: secuscan-health/);
    expect(stdout).toContain('Exit codes: 0 healthy, 1 degraded, 2 unhealthy');
    expect(fetch).not.toHaveBeenCalled();
  });
});
