import { requestOrigin } from './request-origin';

describe('requestOrigin', () => {
  it.each([
    ['http', '127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['https', 'Health.Example.COM', 'https://health.example.com'],
    ['http', '[::1]:8080', 'http://[::1]:8080'],
    ['http', 'localhost', 'http://localhost'],
    ['http', 'secuscan_api_1:3000', 'http://secuscan_api_1:3000'],
  ])('%s + Host %s → %s', (protocol, host, origin) => {
    expect(requestOrigin(protocol, host)).toBe(origin);
  });

  it.each([
    ['http', undefined],
    ['http', ''],
    ['http', 'evil.example/path'],
    ['http', 'a b'],
    ['http', 'user@host'],
    ['http', 'host:port'],
    ['http', 'host:3000:1'],
    ['http', 'host\r\nx: y'],
    ['http', '-bad.example'],
    ['ftp', 'example.com'],
  ])('refuses %s + Host %j', (protocol, host) => {
    expect(requestOrigin(protocol, host)).toBeUndefined();
  });
});
