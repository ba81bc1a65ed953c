import { escapeControl, escapeJsonControl } from './escape-control';

describe('escapeControl', () => {
  it.each([
    ['line\nforged', 'line\\nforged'],
    ['a\r\nb\tc', 'a\\r\\nb\\tc'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['nul\u0000 bel\u0007 del\u007f', 'nul\\x00 bel\\x07 del\\x7f'],
    ['csi\u009b2J', 'csi\\x9b2J'],
    ['sep\u2028par\u2029', 'sep\\u2028par\\u2029'],
    ['rlo\u202eevil\u2066', 'rlo\\u202eevil\\u2066'],
    ['plain text, ümlauts, emoji 🙂 and \\ stay', 'plain text, ümlauts, emoji 🙂 and \\ stay'],
  ])('%j → %j', (input, output) => {
    expect(escapeControl(input)).toBe(output);
  });
});

describe('escapeJsonControl', () => {
  it('escapes what JSON.stringify leaves raw, and the JSON still means the same', () => {
    const value = { m: 'del\u007f csi\u009b sep\u2028 rlo\u202e nl\n esc\u001b' };
    const line = escapeJsonControl(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/);
    expect(JSON.parse(line)).toEqual(value);
  });
});
