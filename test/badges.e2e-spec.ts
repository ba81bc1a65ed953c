import { RunningApp, startApp } from './support/app';
import { freePort } from './support/ports';

const TOKEN = 'badge-test-token-0123456789';
const BADGES = ['/api/v1/health/badge.svg', '/api/v1/health/badge/uptime.svg'];

/** GET `url` as text. */
async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('badges', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
    await app.until('healthy');
  });
  afterAll(() => app?.close());

  it('the status badge: an SVG with the status word and nothing else of the report, never cached stale', async () => {
    const badge = await get(`${app.url}/api/v1/health/badge.svg`);
    expect(badge.status).toBe(200);
    expect(badge.headers.get('content-type')).toBe('image/svg+xml');
    expect(badge.headers.get('cache-control')).toBe('no-cache');
    expect(badge.headers.get('x-content-type-options')).toBe('nosniff');
    expect(badge.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(badge.text).toMatch(/^<svg [^>]*role="img" aria-label="health: healthy">/);
    expect([...badge.text.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(['health', 'healthy']);
    for (const leak of ['database', 'cache', 'plugins', '1.0.0', 'latency']) expect(badge.text).not.toContain(leak);
  });

  it('the uptime badge: the percentage of the window, 24h unless asked', async () => {
    const texts = async (query: string) => {
      const badge = await get(`${app.url}/api/v1/health/badge/uptime.svg${query}`);
      expect([query, badge.status, badge.headers.get('content-type')]).toEqual([query, 200, 'image/svg+xml']);
      return [...badge.text.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    };
    expect(await texts('')).toEqual(['uptime 24h', '100%']);
    expect(await texts('?window=7d')).toEqual(['uptime 7d', '100%']);
    expect(await texts('?window=30d')).toEqual(['uptime 30d', '100%']);
    const bad = await app.get('/health/badge/uptime.svg?window=15m');
    expect([bad.status, bad.body.message]).toEqual([400, 'window must be one of 24h, 7d, 30d']);
  });
});

describe('badges are for anyone', () => {
  const apps: RunningApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('under when-authorized: no token needed, where the history wants one', async () => {
    const app = await startApp({ HEALTH_DETAILS: 'when-authorized', HEALTH_TOKEN: TOKEN });
    apps.push(app);
    await app.until('healthy');
    for (const path of BADGES) expect([path, (await get(`${app.url}${path}`)).status]).toEqual([path, 200]);
    expect((await app.get('/health/history')).status).toBe(401);
  });

  it('with a management port: on both listeners, where the main port hides the history', async () => {
    const managementPort = await freePort();
    const app = await startApp({ MANAGEMENT_PORT: String(managementPort) });
    apps.push(app);
    await app.until('healthy');
    for (const base of [app.url, app.managementUrl]) {
      for (const path of BADGES) expect([base, path, (await get(`${base}${path}`)).status]).toEqual([base, path, 200]);
    }
    expect((await app.get('/health/history')).status).toBe(404);
  });

  it('under HEALTH_DETAILS=never: 404, the same answer as a route that does not exist, token or not', async () => {
    const app = await startApp({ HEALTH_DETAILS: 'never' });
    apps.push(app);
    for (const path of BADGES) {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }] as Array<Record<string, string>>) {
        const answer = await get(`${app.url}${path}?window=7d`, headers);
        expect([path, answer.status, JSON.parse(answer.text)]).toEqual([
          path,
          404,
          { message: `Cannot GET ${path}`, error: 'Not Found', statusCode: 404 },
        ]);
      }
    }
    const unknown = await get(`${app.url}/api/v1/health/badge/other.svg`);
    expect(JSON.parse(unknown.text)).toEqual({
      message: 'Cannot GET /api/v1/health/badge/other.svg',
      error: 'Not Found',
      statusCode: 404,
    });
  });
});
