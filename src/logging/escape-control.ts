/**
 * Control characters a terminal or log viewer acts on: C0 (newline, carriage return, ESC …), DEL and C1 (a lone
 * 0x9B is CSI on some terminals), the Unicode line and paragraph separators, and the bidirectional overrides that
 * can make a line read differently from what it holds.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/**
 * `text` with every control character written as an escape (`\n`, `\x1b`, `\u2028`), so a logged value (a
 * manifest's name, an error from a driver) can neither start a forged log line nor send a terminal escape.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/**
 * A serialised JSON line with the control characters `JSON.stringify` leaves as they are (DEL, C1, the separators
 * and bidi overrides) written as `\u` escapes too; they can only occur inside strings, so the JSON stays valid.
 */
export function escapeJsonControl(json: string): string {
  return json.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
