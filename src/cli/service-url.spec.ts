import { serviceUrl } from './service-url';

describe('serviceUrl', () => {
  it.each([
    'http://host:3000',
    'http://host:3000/',
    'http://host:3000/api/v1/health',
    'http://host:3000/api/v1/health/',
    'http://host:3000/api/v1/health/live',
    'http://host:3000/api/v1/health/live/',
    'http://host:3000/api/v1/health/ready',
    'http://host:3000/api/v1/health/plugins',
    'http://host:3000/api/v1/health/plugins/',
  ])('finds each route from %s', (given) => {
    expect(serviceUrl(given, 'report')).toBe('http://host:3000/api/v1/health');
    expect(serviceUrl(given, 'plugins')).toBe('http://host:3000/api/v1/health/plugins');
  });

  it('keeps a proxy prefix, credentials and the query string', () => {
    expect(serviceUrl('https://u:p@scanner.internal/secuscan/api/v1/health?probe=1', 'plugins')).toBe(
      'https://u:p@scanner.internal/secuscan/api/v1/health/plugins?probe=1',
    );
    expect(serviceUrl('https://scanner.internal/secuscan/', 'report')).toBe(
      'https://scanner.internal/secuscan/api/v1/health',
    );
  });
});
