import { isManagementPath } from './management-listener';

describe('isManagementPath', () => {
  it.each([
    '/api/v1/health',
    '/api/v1/health/live',
    '/api/v1/health/plugins/nmap?x=1',
    '/api/v1/health/history',
    '/api/v1/health/events',
    '/api/v1/metrics',
    '/status',
    '/api/docs',
    '/api/docs/swagger-ui-init.js',
    '/api/docs-json',
    '/api/docs-yaml',
    'http://127.0.0.1:9000/api/v1/health/live',
    'http://health.internal/api/v1/metrics?x=1',
    'http://127.0.0.1:9000/api/docs',
  ])('serves %s', (url) => expect(isManagementPath(url)).toBe(true));

  it.each(['/api/docsx', '/api/doc', '/api/v1/healthz', '/api/v1/metrics2', '/statusx', '/', 'http://h/statusx'])(
    'refuses %s',
    (url) => expect(isManagementPath(url)).toBe(false),
  );
});
