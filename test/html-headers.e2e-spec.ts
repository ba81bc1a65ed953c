import { SWAGGER_UI_CSP } from '../src/docs/swagger';
import { RunningApp, startApp } from './support/app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { freePort } from './support/ports';

const TOKEN = 'test-token-0123456789abcdef';

/**
 * Paths asked on every listener, GET and HEAD, as a browser asks (`Accept: text/html`): the pages, their variants,
 * and paths that answer 404 or 401, so an HTML answer anywhere (an error page included) is seen.
 */
const PATHS = [
  '/api/docs',
  '/api/docs/',
  '/api/docs/index.html',
  '/api/docs/swagger-ui-init.js',
  '/api/docs/docs/',
  '/api/docs/LICENSE',
  '/api/docs/nope.html',
  '/api/docs-json',
  '/status',
  '/status/',
  '/status/status.html',
  '/status/nope.html',
  '/api/v1/health',
  '/api/v1/health/plugins/%3Cscript%3E',
  '/api/v1/nope',
  '/nope.html',
  '/',
];

/** One HTML answer: where, and the headers that matter to a browser. */
interface HtmlAnswer {
  readonly what: string;
  readonly headers: Headers;
}

/** Every answer of `base` to {@link PATHS} whose type is `text/html`. */
async function htmlAnswers(base: string, headers: Record<string, string> = {}): Promise<HtmlAnswer[]> {
  const found: HtmlAnswer[] = [];
  for (const path of PATHS) {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(`${base}${path}`, { method, headers: { accept: 'text/html', ...headers } });
      await response.arrayBuffer();
      if (/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) {
        found.push({ what: `${method} ${path} → ${response.status}`, headers: response.headers });
      }
    }
  }
  return found;
}

/** The browser headers of `answer`, for one readable comparison per answer. */
function browserHeaders({ what, headers }: HtmlAnswer) {
  return {
    what,
    frame: headers.get('x-frame-options'),
    sniff: headers.get('x-content-type-options'),
    referrer: headers.get('referrer-policy'),
    csp: headers.get('content-security-policy'),
  };
}

/** What every HTML answer must carry; the policy is checked by its strict parts (pages may allow more). */
const SECURE = {
  frame: 'DENY',
  sniff: 'nosniff',
  referrer: 'no-referrer',
  csp: expect.stringMatching(/^default-src 'none';.*script-src 'self';.*frame-ancestors 'none'$/),
};

/**
 * Security headers on every answer a browser renders, over real sockets on both listeners: Swagger UI's page and the
 * status page (200, and the 401 that carries the page), and any other HTML answer there may be.
 */
describe('security headers on every HTML answer', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp | undefined;

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    await service?.close();
    service = undefined;
  });
  afterAll(async () => deps?.close());

  it('defaults: Swagger UI and the status page on the one port', async () => {
    service = await startApp(deps.env);
    const answers = await htmlAnswers(service.url);
    expect(answers.map(({ what }) => what)).toEqual([
      'GET /api/docs → 200',
      'HEAD /api/docs → 200',
      'GET /api/docs/ → 200',
      'HEAD /api/docs/ → 200',
      'GET /api/docs/index.html → 200',
      'HEAD /api/docs/index.html → 200',
      'GET /status → 200',
      'HEAD /status → 200',
    ]);
    for (const answer of answers) expect(browserHeaders(answer)).toEqual({ what: answer.what, ...SECURE });
    const docs = answers.filter(({ what }) => what.includes('/api/docs'));
    for (const { headers } of docs) expect(headers.get('content-security-policy')).toBe(SWAGGER_UI_CSP);
  });

  it('with a management port and a token: Swagger UI on both ports, the page (401 and 200) on the management one', async () => {
    const port = await freePort();
    service = await startApp({
      ...deps.env,
      MANAGEMENT_PORT: String(port),
      HEALTH_DETAILS: 'when-authorized',
      HEALTH_TOKEN: TOKEN,
    });
    const main = await htmlAnswers(service.url);
    const anonymous = await htmlAnswers(`http://127.0.0.1:${port}`);
    const authorized = await htmlAnswers(`http://127.0.0.1:${port}`, { authorization: `Bearer ${TOKEN}` });
    expect(main.map(({ what }) => what)).toEqual(expect.arrayContaining(['GET /api/docs → 200']));
    expect(anonymous.map(({ what }) => what)).toEqual(
      expect.arrayContaining(['GET /api/docs → 200', 'GET /status → 401']),
    );
    expect(authorized.map(({ what }) => what)).toEqual(expect.arrayContaining(['GET /status → 200']));
    for (const answer of [...main, ...anonymous, ...authorized]) {
      expect(browserHeaders(answer)).toEqual({ what: answer.what, ...SECURE });
    }
  });
});
