import { bearerMatches } from './bearer-token';

describe('bearerMatches', () => {
  const token = 'a-long-enough-token-123';

  it('accepts the token after the Bearer scheme, whatever its case', () => {
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', `Basic ${token}`],
    ['the bare token', token],
    ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
    ['the token plus more', `Bearer ${token}x`],
    ['two tokens', `Bearer ${token} ${token}`],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s', (_case, header) => {
    expect(bearerMatches(header, token)).toBe(false);
  });
});
