import { paint, printable, shouldColor, toneOf } from './health-cli-text';

describe('shouldColor', () => {
  it('colours a terminal only', () => {
    expect(shouldColor(true, {})).toBe(true);
    expect(shouldColor(false, {})).toBe(false);
  });

  it('honours NO_COLOR (any non-empty value) and TERM=dumb', () => {
    expect(shouldColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: 'false' })).toBe(false);
    expect(shouldColor(true, { NO_COLOR: '' })).toBe(true); // no-color.org: empty means unset
    expect(shouldColor(true, { TERM: 'dumb' })).toBe(false);
    expect(shouldColor(true, { TERM: 'xterm-256color' })).toBe(true);
  });
});

describe('toneOf and paint', () => {
  it.each([
    ['ok', '\x1b[32mok\x1b[0m'],
    ['healthy', '\x1b[32mhealthy\x1b[0m'],
    ['degraded', '\x1b[33mdegraded\x1b[0m'],
    ['error', '\x1b[31merror\x1b[0m'],
    ['unhealthy', '\x1b[31munhealthy\x1b[0m'],
    ['unknown', 'unknown'],
  ])('%s → %j', (status, expected) => {
    expect(paint(status, toneOf(status))).toBe(expected);
  });
});

describe('printable', () => {
  it('turns control characters into single spaces and trims', () => {
    expect(printable(' a\r\n\tb\x1b[31mc\x07 \x7f d ')).toBe('a b [31mc d');
  });

  it('leaves ordinary text, including non-ASCII, alone', () => {
    expect(printable('timed out after 2000 ms — café')).toBe('timed out after 2000 ms — café');
  });

  it('shows bidi controls and other invisible format characters escaped, so a name reads as it is', () => {
    expect(printable('\u202egnp.exe')).toBe('\\u202egnp.exe');
    expect(printable('a\u2066b\u200bc\ufeffd\u2028e')).toBe('a\\u2066b\\u200bc\\ufeffd\\u2028e');
  });
});
