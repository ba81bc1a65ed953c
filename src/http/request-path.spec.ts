import { requestPath } from './request-path';

describe('requestPath', () => {
  it.each([
    ['/api/v1/health/live', '/api/v1/health/live'],
    ['/api/v1/health/live?verbose=1', '/api/v1/health/live'],
    ['/api/v1/health/live#top', '/api/v1/health/live'],
    ['http://127.0.0.1:9000/api/v1/health/live', '/api/v1/health/live'],
    ['https://health.example/api/v1/metrics?x=/y', '/api/v1/metrics'],
    ['http://user@host:1/status', '/status'],
    ['/api/v1/health/%6Cive', '/api/v1/health/%6Cive'],
  ])('reads %s as %s', (url, path) => expect(requestPath(url)).toBe(path));

  it.each(['HTTP://host/api/v1/health/live', 'http://host', 'ftp://host/api/v1/health/live', '*'])(
    'leaves %s as the router does, matching no route',
    (url) => expect(requestPath(url).startsWith('/api/')).toBe(false),
  );
});
