import type { OpenAPIObject } from '@nestjs/swagger';
import { publicDocument, PUBLIC_API_VERSION } from './public-document';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (schema: string) => ({
  200: { description: 'ok', content: { 'application/json': { schema: ref(schema) } } },
});

/** A small full document: a public probe, a details route, schemas each reaches, a tag each uses. */
function fullDocument(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'health', version: '9.9.9', description: 'About.' },
    paths: {
      '/api/v1/health/live': { get: { tags: ['health'], responses: ok('LivenessDto') } },
      '/api/v1/metrics': {
        get: { tags: ['metrics'], security: [{ 'health-token': [] }], responses: ok('MetricsDto') },
      },
    },
    components: {
      schemas: {
        LivenessDto: { type: 'object', properties: { status: ref('StatusWord') } },
        StatusWord: { type: 'string' },
        MetricsDto: { type: 'object', properties: { series: ref('SeriesDto') } },
        SeriesDto: { type: 'object' },
      },
      securitySchemes: { 'health-token': { type: 'http', scheme: 'bearer' } },
    },
    tags: [{ name: 'health' }, { name: 'metrics' }],
  };
}

describe('publicDocument', () => {
  const full = fullDocument();
  const document = publicDocument(full, []);

  it('says the API version, not the service version', () => {
    expect(document.info.version).toBe(PUBLIC_API_VERSION);
    expect(JSON.stringify(document)).not.toContain('9.9.9');
  });

  it('drops the routes that need the token, and the schemas, tags and scheme only they used', () => {
    expect(Object.keys(document.paths)).toEqual(['/api/v1/health/live']);
    expect(Object.keys(document.components?.schemas ?? {}).sort()).toEqual(['LivenessDto', 'StatusWord']);
    expect(document.tags).toEqual([{ name: 'health' }]);
    expect(document.components?.securitySchemes).toBeUndefined();
  });

  it('leaves the full document as it was', () => {
    expect(full).toEqual(fullDocument());
  });
});
