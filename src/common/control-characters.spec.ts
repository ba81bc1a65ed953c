import { escapeControlCharacters } from './control-characters';

describe('escapeControlCharacters', () => {
  it('escapes newlines, ESC, DEL and C1 controls and leaves other text alone', () => {
    expect(escapeControlCharacters('a\nb\r\x1b[31mc\x7f\x85 é')).toBe('a\\u000ab\\u000d\\u001b[31mc\\u007f\\u0085 é');
    expect(escapeControlCharacters('plain-name_1.0')).toBe('plain-name_1.0');
  });
});
