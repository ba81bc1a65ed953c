import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { freePort } from './support/ports';
import { rawRequest } from './support/raw-request';

const TOKEN = 'test-token-0123456789abcdef';

/** How both listeners read a request: the request target's forms and the `Authorization` header, over raw sockets. */
describe('requests read alike on both listeners', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp;
  let mainPort: number;
  let managementPort: number;

  beforeAll(async () => {
    deps = await proxyDependencies();
    managementPort = await freePort();
    service = await startApp({
      ...deps.env,
      MANAGEMENT_PORT: String(managementPort),
      HEALTH_DETAILS: 'when-authorized',
      HEALTH_TOKEN: TOKEN,
    });
    mainPort = Number(new URL(service.url).port);
    await service.until('healthy');
  });
  afterAll(async () => {
    await service?.close();
    await deps?.close();
  });

  const ask = (port: number, target: string, headers: string[] = []) =>
    rawRequest(port, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers]);
  const bearer = (token: string) => `Authorization: Bearer ${token}`;

  it('routes an absolute-form target on the management port as the main port does', async () => {
    for (const port of [mainPort, managementPort]) {
      const absolute = await ask(port, `http://127.0.0.1:${port}/api/v1/health/live`);
      const origin = await ask(port, '/api/v1/health/live');
      expect([port, absolute.status, absolute.body]).toEqual([port, 200, origin.body]);
    }
    const report = await ask(managementPort, `http://127.0.0.1:${managementPort}/api/v1/health?x=1`, [bearer(TOKEN)]);
    expect(report.status).toBe(200);
    expect(JSON.parse(report.body)).toMatchObject({ status: 'healthy', version: expect.any(String) });
    expect((await ask(managementPort, 'http://health.internal/api/v1/metrics', [bearer(TOKEN)])).status).toBe(200);
    // The docs are served on both ports (the public document to this anonymous caller), in either form; what the
    // management port does not serve stays hidden there in either form.
    for (const port of [mainPort, managementPort]) {
      expect([port, (await ask(port, `http://127.0.0.1:${port}/api/docs-json`)).status]).toEqual([port, 200]);
    }
    expect((await ask(managementPort, `http://127.0.0.1:${managementPort}/api/v1/nope`)).status).toBe(404);
    expect((await ask(managementPort, '/nope')).status).toBe(404);
  });

  it.each([
    ['the token, then another', [TOKEN, 'wrong-token-0123456789abc']],
    ['another, then the token', ['wrong-token-0123456789abc', TOKEN]],
    ['the token twice', [TOKEN, TOKEN]],
  ])('refuses two Authorization headers (%s) with 400 on every route of both listeners', async (_case, tokens) => {
    const headers = tokens.map(bearer);
    for (const [port, target] of [
      [managementPort, '/api/v1/metrics'],
      [managementPort, '/api/v1/health'],
      [mainPort, '/api/v1/health/live'],
    ] as const) {
      const answer = await ask(port, target, headers);
      expect([target, answer.status, JSON.parse(answer.body)]).toEqual([
        target,
        400,
        { statusCode: 400, error: 'Bad Request', message: 'more than one Authorization header' },
      ]);
    }
    expect((await ask(managementPort, '/api/v1/metrics', [bearer(TOKEN)])).status).toBe(200);
  });
});
