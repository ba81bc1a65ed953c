import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { RunningApp, startApp } from './support/app';
import { cli } from './support/cli';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { freePort } from './support/ports';

/** Runs `use` with a stand-in server listening on loopback, then destroys its connections and closes it. */
async function withServer(server: Server, use: (base: string) => Promise<void>): Promise<void> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  try {
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    await use(`http://127.0.0.1:${address.port}`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((closed) => server.close(closed));
  }
}

describe('secuscan-health (the built CLI) against the real app', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let healthUrl: string;

  beforeAll(async () => {
    deps = await proxyDependencies();
    service = await startApp({ ...deps.env, HEALTH_CACHE_TTL_MS: '0', APP_VERSION: 'cli-e2e' });
    healthUrl = `${service.url}/api/v1/health`;
    await service.until('healthy');
  });
  afterAll(async () => {
    await service.close();
    await deps.close();
  });
  afterEach(async () => {
    await deps.db.setMode('pass');
    await deps.cache.setMode('pass');
    await service.until('healthy');
  });

  it('healthy: exit 0, a header and an ok row for database, cache and plugins, no ANSI escapes in a pipe', async () => {
    const run = await cli(['--url', healthUrl]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^status: healthy {2}version: cli-e2e {2}uptime: \d+s {2}url: /);
    expect(run.stdout).toContain(`url: ${healthUrl}\n\nCHECK`);
    expect(run.stdout).toMatch(/^CHECK +STATUS +LATENCY +DETAIL$/m);
    expect(run.stdout).toMatch(new RegExp(`^database +ok +\\d+\\.\\d ms +host=127\\.0\\.0\\.1:${deps.db.port}$`, 'm'));
    expect(run.stdout).toMatch(/^cache +ok +\d+\.\d ms +-$/m);
    expect(run.stdout).toMatch(
      /^plugins +ok +\d+\.\d ms +total=\d+, runnable=\d+, blocked=\d+, disabled=\d+, invalid=\d+$/m,
    );
    expect(run.stdout).not.toContain('\x1b');
  });

  it('degraded (Redis refused): exit 1, the cache row shows error and its detail', async () => {
    await deps.cache.setMode('refuse');
    await service.until('degraded');
    const run = await cli(['--url', healthUrl]);
    expect(run).toMatchObject({ code: 1, stderr: '' });
    expect(run.stdout).toMatch(/^status: degraded /);
    expect(run.stdout).toMatch(/^cache +error +\d+\.\d ms +redis unreachable: .*\S$/m);
    expect(run.stdout).toMatch(/^database +ok /m);
  });

  it('unhealthy (PostgreSQL refused): exit 2, the table still printed with the database error', async () => {
    await deps.db.setMode('refuse');
    await service.until('unhealthy');
    const run = await cli(['--url', healthUrl]);
    expect(run).toMatchObject({ code: 2, stderr: '' }); // 503 and unhealthy agree: no warning
    expect(run.stdout).toMatch(/^status: unhealthy /);
    expect(run.stdout).toMatch(/^database +error +\S+ ms +database .*\S$/m);
  });

  it("--json without --url: asks 127.0.0.1:$PORT and prints JSON that parses, with the app's report", async () => {
    const run = await cli(['--json'], { PORT: new URL(service.url).port });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const printed = JSON.parse(run.stdout);
    const { body } = await service.get();
    expect(printed).toMatchObject({ status: body.status, version: 'cli-e2e' }); // this app's report, not another's
    expect(Object.keys(printed.checks)).toEqual(Object.keys(body.checks));
  });

  it('unreachable (a closed port): exit 2, one line on stderr, nothing on stdout', async () => {
    const url = `http://127.0.0.1:${await freePort()}/api/v1/health`;
    const stderr = `secuscan-health: cannot reach ${url}: ECONNREFUSED (nothing listening)\n`;
    expect(await cli(['--url', url])).toMatchObject({ code: 2, stdout: '', stderr });
  });

  it('a server that accepts and never answers: exit 2 soon after --timeout, saying it timed out', async () => {
    let requested = false; // proves it connected and asked: this is the timeout, not a refusal
    const hung = createTcpServer((socket) => socket.on('data', (data) => (requested ||= /^GET \//.test(String(data)))));
    await withServer(hung, async (base) => {
      const run = await cli(['--url', `${base}/api/v1/health`, '--timeout', '500']);
      const stderr = `secuscan-health: ${base}/api/v1/health timed out after 500 ms\n`;
      expect(run).toMatchObject({ code: 2, stdout: '', stderr });
      expect(requested).toBe(true);
      expect(run.ms).toBeGreaterThanOrEqual(500);
      expect(run.ms).toBeLessThan(2000);
    });
  });

  it('a malformed answer (200 "not json", or JSON without a valid status): exit 2 with the reason', async () => {
    const bodies: Record<string, string> = { '/text': 'not json', '/json': '{"status":"fine","checks":{}}' };
    // Each body under its own base: the CLI asks <base>/api/v1/health.
    const fake = createHttpServer((req, res) =>
      res.writeHead(200).end(bodies[(req.url ?? '').replace(/\/api\/v1\/health$/, '')] ?? ''),
    );
    await withServer(fake, async (base) => {
      const text = await cli(['--url', `${base}/text`]);
      const reason = `secuscan-health: malformed answer from ${base}/text/api/v1/health: HTTP 200 with "not json", not JSON\n`;
      expect(text).toMatchObject({ code: 2, stdout: '', stderr: reason });
      const json = await cli(['--url', `${base}/json`]);
      expect(json).toMatchObject({ code: 2, stdout: '' });
      expect(json.stderr).toMatch(/^secuscan-health: malformed answer from .*: HTTP 200, "status" is "fine", .*\n$/);
    });
  });

  it('a usage error: exit 2 with one line on stderr', async () => {
    const stderr = 'secuscan-health: unknown option "--verbose" (see --help)\n';
    expect(await cli(['--url', healthUrl, '--verbose'])).toMatchObject({ code: 2, stdout: '', stderr });
  });

  it("takes the service's base or any of its health URLs; the report and plugins each find their own route", async () => {
    const given = [
      service.url,
      `${service.url}/`,
      healthUrl,
      `${healthUrl}/`,
      `${healthUrl}/live`,
      `${healthUrl}/plugins`,
      `${healthUrl}/plugins/`,
    ];
    for (const url of given) {
      const report = await cli(['--url', url]);
      expect({ url, ...report }).toMatchObject({ url, code: 0, stderr: '' });
      expect(report.stdout).toContain(`url: ${healthUrl}\n`);
      const plugins = await cli(['plugins', '--url', url]);
      expect({ url, ...plugins }).toMatchObject({ url, code: 0, stderr: '' });
      expect(plugins.stdout).toMatch(/^plugins: 1 total, 1 runnable, .* checked: \d{4}-\d\d-\d\dT[\d:.]+Z {2}url: /);
      expect(plugins.stdout).toContain(`url: ${healthUrl}/plugins\n`);
    }
  });
});

describe('secuscan-health against a service that shows details only with its token', () => {
  const token = 'cli-e2e-token-0123456789abcdef';
  let service: RunningApp;

  beforeAll(async () => {
    service = await startApp({ HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: token, HEALTH_CACHE_TTL_MS: '0' });
    await service.until('healthy');
  });
  afterAll(async () => {
    await service.close();
  });

  it('the report without a token, or with a wrong one: the table by its status, and stderr names HEALTH_TOKEN', async () => {
    const anonymous = await cli(['--url', service.url]);
    expect(anonymous.code).toBe(0);
    expect(anonymous.stdout).toMatch(/^status: healthy /);
    expect(anonymous.stderr).toMatch(
      /^secuscan-health: warning: .*: the answer has the statuses only, no details: set HEALTH_TOKEN to the service's token/,
    );
    const wrong = await cli(['--url', service.url], { HEALTH_TOKEN: 'not-the-token-0123456789' });
    expect(wrong.code).toBe(0);
    expect(wrong.stderr).toContain('the service did not take HEALTH_TOKEN as its token');
    expect(wrong.stderr).not.toContain('not-the-token');
    const right = await cli(['--url', service.url], { HEALTH_TOKEN: token });
    expect(right).toMatchObject({ code: 0, stderr: '' });
    expect(right.stdout).toMatch(/^database +ok +\d+\.\d ms +host=127\.0\.0\.1:5432$/m);
  });

  it('plugins without a token, or with a wrong one: exit 2, the 401 explained naming HEALTH_TOKEN', async () => {
    const anonymous = await cli(['plugins', '--url', `${service.url}/api/v1/health`]);
    expect(anonymous).toMatchObject({ code: 2, stdout: '' });
    expect(anonymous.stderr).toMatch(/answered 401: it shows details only with a token \(set HEALTH_TOKEN/);
    const wrong = await cli(['plugins', '--url', service.url], { HEALTH_TOKEN: 'not-the-token-0123456789' });
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect(wrong.stderr).toContain('the service refused HEALTH_TOKEN');
    const right = await cli(['plugins', '--url', service.url], { HEALTH_TOKEN: token });
    expect(right).toMatchObject({ code: 0, stderr: '' });
  });
});
