import { publicUrl } from './public-url';
import { ConfigError } from './settings';

describe('publicUrl', () => {
  const setting = publicUrl('HEALTH_PUBLIC_URL', { description: 'x' });
  const parse = (raw: string | undefined) => setting.parse(raw, { env: {}, stdoutIsTty: false });

  it('is unset by default', () => {
    expect(setting.defaultText).toBe('unset');
    expect(parse(undefined)).toBeUndefined();
  });

  it.each([
    ['https://health.example.com', 'https://health.example.com'],
    ['https://health.example.com/', 'https://health.example.com'],
    ['HTTP://Health.Example.com:80/', 'http://health.example.com'],
    ['https://example.com/secuscan/', 'https://example.com/secuscan'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('takes %s as %s (no trailing slash, so route paths append)', (raw, value) => expect(parse(raw)).toBe(value));

  it.each([
    ['health.example.com', 'is not a valid URL'],
    ['ftp://health.example.com', 'must start with http:// or https://'],
    ['https://user:s3cret@health.example.com', 'must not carry a user name or password'],
    ['https://health.example.com/?a=1', 'must not have a query or fragment'],
    ['https://health.example.com/#top', 'must not have a query or fragment'],
    ['https://health.example.com?', 'must not have a query or fragment'],
  ])('refuses %s with one line naming the variable and not echoing it', (raw, message) => {
    const error = (() => {
      try {
        parse(raw);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(new RegExp(`^HEALTH_PUBLIC_URL ${message}[^\\n]*$`));
    expect((error as ConfigError).message).not.toContain('s3cret');
  });
});
