import { escapeControl, escapeJsonControl } from './escape-control';

/** The status page's copy (a browser ES module, compiled for jest like the page's other specs). */
const page = jest.requireActual<{ escapeControl(text: string): string }>('../status/page/escape.js');

/** Every Unicode code point but the lone surrogates, which no well-formed string holds. */
function everyCodePoint(): string[] {
  const points: string[] = [];
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code < 0xd800 || code > 0xdfff) points.push(String.fromCodePoint(code));
  }
  return points;
}

/** Inputs and what they become; the test names show the outputs, which are plain ASCII where it matters. */
const CASES: ReadonlyArray<readonly [string, string]> = [
  ['line\nforged', 'line\\nforged'],
  ['a\r\nb\tc', 'a\\r\\nb\\tc'],
  ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
  ['nul\u0000 bel\u0007 del\u007f', 'nul\\x00 bel\\x07 del\\x7f'],
  ['csi\u009b2J', 'csi\\x9b2J'],
  ['sep\u2028par\u2029', 'sep\\u2028par\\u2029'],
  ['rlo\u202eevil\u2066', 'rlo\\u202eevil\\u2066'],
  ['\u202egnp.exe', '\\u202egnp.exe'],
  [
    'marks \u200e\u200f\u061c embeds \u202a\u202b\u202c\u202d isolates \u2067\u2068\u2069',
    'marks \\u200e\\u200f\\u061c embeds \\u202a\\u202b\\u202c\\u202d isolates \\u2067\\u2068\\u2069',
  ],
  [
    'zero\u200bwidth\u200c\u200d bom\ufeff soft\u00adhyphen',
    'zero\\u200bwidth\\u200c\\u200d bom\\ufeff soft\\xadhyphen',
  ],
  ['tag \u{e0001}\u{e0041}', 'tag \\u{e0001}\\u{e0041}'],
  ['plain text, ümlauts, emoji 🙂, עברית and \\ stay', 'plain text, ümlauts, emoji 🙂, עברית and \\ stay'],
];

describe('escapeControl', () => {
  it.each(CASES.map(([input, output]) => [output, input] as const))('→ %s', (output, input) => {
    expect(escapeControl(input)).toBe(output);
  });

  it('leaves no control or format character in what it returns', () => {
    const all = everyCodePoint().join('');
    expect(escapeControl(all)).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
  });

  it("is what the status page's copy does, for every code point", () => {
    const points = everyCodePoint();
    const differ = points.filter((point) => escapeControl(point) !== page.escapeControl(point));
    expect(differ.map((point) => point.codePointAt(0)?.toString(16))).toEqual([]);
    expect(page.escapeControl(points.join(''))).toBe(escapeControl(points.join('')));
  });
});

describe('escapeJsonControl', () => {
  it('escapes what JSON.stringify leaves raw, and the JSON still means the same', () => {
    const value = { m: 'del\u007f csi\u009b sep\u2028 rlo\u202e nl\n esc\u001b zw\u200b bom\ufeff tag\u{e0001}' };
    const line = escapeJsonControl(JSON.stringify(value));
    expect(line).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
    expect(line).toContain('rlo\\u202e');
    expect(line).toContain('tag\\udb40\\udc01');
    expect(JSON.parse(line)).toEqual(value);
  });
});
