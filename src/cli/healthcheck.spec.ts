import { createServer, type Server } from 'node:http';
import { freePort } from '../../test/support/ports';
import { checkOnce, DEFAULT_TIMEOUT_MS, resolveSettings } from './healthcheck';

describe('resolveSettings', () => {
  it('defaults to the app port on loopback and a 4 s timeout', () => {
    expect(resolveSettings({})).toEqual({ url: 'http://127.0.0.1:3000/api/v1/health', timeoutMs: DEFAULT_TIMEOUT_MS });
    expect(DEFAULT_TIMEOUT_MS).toBe(4000);
  });

  it('prefers the management listener when MANAGEMENT_PORT is set', () => {
    expect(resolveSettings({ PORT: '8080', MANAGEMENT_PORT: '9100' })).toMatchObject({
      url: 'http://127.0.0.1:9100/api/v1/health',
    });
    expect(resolveSettings({ MANAGEMENT_PORT: '9100', MANAGEMENT_HOST: '0.0.0.0' })).toMatchObject({
      url: 'http://127.0.0.1:9100/api/v1/health',
    });
    expect(resolveSettings({ MANAGEMENT_PORT: '9100', MANAGEMENT_HOST: '10.0.0.5' })).toMatchObject({
      url: 'http://10.0.0.5:9100/api/v1/health',
    });
    expect(resolveSettings({ MANAGEMENT_PORT: '0' })).toEqual({
      code: 1,
      line: expect.stringMatching(/^invalid MANAGEMENT_PORT/),
    });
    expect(resolveSettings({ MANAGEMENT_PORT: '9100', HEALTHCHECK_URL: 'http://api:9000/h' })).toMatchObject({
      url: 'http://api:9000/h',
    });
  });

  it('follows PORT, and HEALTHCHECK_URL wins over it', () => {
    expect(resolveSettings({ PORT: '8080' })).toMatchObject({ url: 'http://127.0.0.1:8080/api/v1/health' });
    expect(resolveSettings({ PORT: '8080', HEALTHCHECK_URL: 'http://api:9000/h' })).toMatchObject({
      url: 'http://api:9000/h',
    });
  });

  it('treats empty values as unset, as the app does', () => {
    expect(resolveSettings({ PORT: '', HEALTHCHECK_URL: ' ', HEALTHCHECK_TIMEOUT_MS: '' })).toEqual({
      url: 'http://127.0.0.1:3000/api/v1/health',
      timeoutMs: DEFAULT_TIMEOUT_MS,
    });
  });

  it('reads HEALTHCHECK_TIMEOUT_MS and rejects a value that is not a positive whole number', () => {
    expect(resolveSettings({ HEALTHCHECK_TIMEOUT_MS: '750' })).toMatchObject({ timeoutMs: 750 });
    for (const bad of ['soon', '0', '-1', '1.5']) {
      expect(resolveSettings({ HEALTHCHECK_TIMEOUT_MS: bad })).toEqual({
        code: 1,
        line: expect.stringMatching(/^invalid HEALTHCHECK_TIMEOUT_MS/),
      });
    }
  });

  it('rejects a malformed URL without echoing it', () => {
    const result = resolveSettings({ HEALTHCHECK_URL: 'http://user:s3cr3t@[bad' });
    expect(result).toEqual({ code: 1, line: 'invalid HEALTHCHECK_URL' });
    for (const port of ['abc', '0', '70000']) {
      expect(resolveSettings({ PORT: port })).toEqual({ code: 1, line: expect.stringMatching(/^invalid PORT/) });
    }
  });
});

describe('checkOnce', () => {
  let server: Server;
  let base: string;
  const answers: Record<string, { code: number; body: string }> = {
    '/healthy': { code: 200, body: '{"status":"healthy"}' },
    '/degraded': { code: 200, body: '{"status":"degraded","checks":{}}' },
    '/unhealthy': { code: 503, body: '{"status":"unhealthy"}' },
    '/plain': { code: 200, body: 'OK' },
    '/odd-status': { code: 200, body: '{"status":"<script>alert(1)</script>"}' },
    '/error': { code: 500, body: 'Internal Server Error' },
    '/moved': { code: 301, body: '' },
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = answers[request.url ?? ''] ?? { code: 404, body: '{"statusCode":404}' };
      if (request.url === '/moved') response.setHeader('location', '/healthy');
      response.writeHead(answer.code, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no address');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['/healthy', 0, 'healthy 200'],
    ['/degraded', 0, 'degraded 200'],
    ['/plain', 0, 'http 200'],
    ['/odd-status', 0, 'http 200'],
    ['/unhealthy', 1, 'unhealthy 503'],
    ['/error', 1, 'http 500'],
    ['/moved', 1, 'http 301'],
    ['/missing', 1, 'http 404'],
  ])('%s → exit %i, "%s"', async (path, code, line) => {
    expect(await checkOnce(`${base}${path}`, 2000)).toEqual({ code, line });
  });

  it('reports the errno when nothing listens', async () => {
    const port = await freePort();
    expect(await checkOnce(`http://127.0.0.1:${port}/`, 2000)).toEqual({
      code: 1,
      line: `cannot reach http://127.0.0.1:${port}/: ECONNREFUSED (nothing listening)`,
    });
  });
});
