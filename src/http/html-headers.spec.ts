import Fastify, { FastifyInstance } from 'fastify';
import { BROWSER_HEADERS, LOCKED_HTML_CSP, secureHtmlAnswers } from './html-headers';

describe('secureHtmlAnswers', () => {
  let fastify: FastifyInstance;

  beforeAll(async () => {
    fastify = Fastify();
    secureHtmlAnswers(fastify);
    fastify.get('/bare', (_request, reply) => reply.type('text/html; charset=utf-8').send('<p>hi</p>'));
    fastify.get('/own', (_request, reply) =>
      reply.type('text/html').header('content-security-policy', "default-src 'self'").send('<p>hi</p>'),
    );
    fastify.get('/json', () => ({ ok: true }));
    await fastify.ready();
  });
  afterAll(() => fastify.close());

  it('gives an HTML answer without a policy the browser headers and a policy that allows nothing', async () => {
    const { headers } = await fastify.inject('/bare');
    expect(headers).toMatchObject({ ...BROWSER_HEADERS, 'content-security-policy': LOCKED_HTML_CSP });
  });

  it('keeps the policy a route set, and adds the other headers', async () => {
    const { headers } = await fastify.inject('/own');
    expect(headers).toMatchObject({ ...BROWSER_HEADERS, 'content-security-policy': "default-src 'self'" });
  });

  it('leaves other answers alone', async () => {
    const { headers } = await fastify.inject('/json');
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['x-frame-options']).toBeUndefined();
  });
});
