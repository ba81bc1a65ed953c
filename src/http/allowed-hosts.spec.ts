import { ConfigError } from '../config/settings';
import { type AllowedHosts, isAllowedHost, parseAllowedHosts, withHostOf } from './allowed-hosts';

const NONE: AllowedHosts = { names: [], suffixes: [] };

describe('isAllowedHost with the defaults', () => {
  it.each([
    ['10.1.2.3:3000', 'a Kubernetes probe (the pod IP)'],
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.0.0.1.', 'IPv4 with a trailing dot'],
    ['[::1]:3000', 'IPv6 loopback'],
    ['[fd00::2]', 'a private IPv6 address'],
    ['localhost', 'localhost'],
    ['LocalHost.:3000', 'localhost in capitals, trailing dot and port'],
    ['api:3000', 'a compose service'],
    ['secuscan_api_1', 'a compose v1 container name'],
    ['secuscan-health.secuscan.svc', 'a Service by *.svc'],
    ['secuscan-health.secuscan.svc.cluster.local:9000', 'a Service by *.cluster.local'],
    ['Health.Corp.INTERNAL.', '*.internal, any case, trailing dot'],
    ['api:', 'an empty port'],
  ])('answers %s (%s)', (host) => expect(isAllowedHost(host, NONE)).toBe(true));

  it('answers a request that names no host (HTTP/1.0; a browser always names one)', () => {
    expect(isAllowedHost(undefined, NONE)).toBe(true);
    expect(isAllowedHost('', NONE)).toBe(true);
  });

  it.each([
    ['evil.example', 'a public name'],
    ['EVIL.example.:3000', 'a public name in capitals, trailing dot and port'],
    ['localhost.evil.example', 'a name that starts like localhost'],
    ['127.0.0.1.evil.example', 'a name that starts like an IP'],
    ['svc.evil.example', 'a name that contains svc'],
    ['x.evil-svc.example', 'a label ending like a suffix'],
    ['cluster.local', 'the suffix itself (two labels)'],
    ['::1', 'IPv6 without brackets'],
    ['[evil.example]', 'a name in brackets'],
    ['[::1', 'an unclosed bracket'],
    ['evil.example:3000:1', 'two ports'],
    ['evil.example/x', 'a path'],
    ['user@localhost', 'user info'],
    ['a b', 'a space'],
    ['-bad.example', 'a label starting with a hyphen'],
    ['..', 'empty labels'],
    ['xn--e1afmkfd.example', 'a punycode name not configured'],
  ])('refuses %s (%s)', (host) => expect(isAllowedHost(host, NONE)).toBe(false));
});

describe('HEALTH_ALLOWED_HOSTS', () => {
  const allowed = parseAllowedHosts('HEALTH_ALLOWED_HOSTS', ' Health.Example.com. , *.Corp.Example ,, 10.0.0.9,[::1]');

  it('adds exact names and *.suffix patterns, normalised, dropping IP literals', () => {
    expect(allowed).toEqual({ names: ['health.example.com'], suffixes: ['.corp.example'] });
  });

  it.each([
    ['health.example.com', true],
    ['HEALTH.example.com.:443', true],
    ['www.health.example.com', false],
    ['a.corp.example', true],
    ['a.b.corp.example:8443', true],
    ['corp.example', false],
    ['evilcorp.example', false],
    ['evil.example', false],
  ])('%s → %s', (host, expected) => expect(isAllowedHost(host, allowed)).toBe(expected));

  it.each([
    ['*', /must not be "\*": it would answer any Host/],
    ['https://health.example.com', /has "https:\/\/health\.example\.com": each entry is a host name or a \*\.suffix/],
    ['health.example.com:443', /has "health\.example\.com:443"/],
    ['*.', /has "\*\."/],
    ['a.*.example', /has "a\.\*\.example"/],
    ['**.example', /has "\*\*\.example"/],
    ['bad host', /has "bad host"/],
    ['ünicode.example', /has "\?nicode\.example"/],
  ])('refuses %j with one line naming the variable', (raw, message) => {
    const parse = () => parseAllowedHosts('HEALTH_ALLOWED_HOSTS', `ok.example, ${raw}`);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
    expect(parse).toThrow(/^HEALTH_ALLOWED_HOSTS [^\n]+$/);
  });
});

describe('withHostOf', () => {
  it('allows the host of the public URL', () => {
    const allowed = withHostOf(NONE, 'https://Status.Example.com:8443/secuscan');
    expect(isAllowedHost('status.example.com', allowed)).toBe(true);
    expect(isAllowedHost('evil.example', allowed)).toBe(false);
  });

  it('adds nothing without one', () => expect(withHostOf(NONE, undefined)).toBe(NONE));
});
