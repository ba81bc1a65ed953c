/**
 * Characters that act on a terminal or log viewer, or change how text around them reads without showing
 * themselves: control characters (C0 such as newline and ESC, DEL, and C1, where a lone 0x9B is CSI on some
 * terminals), the Unicode line and paragraph separators, and every format character (category Cf): the
 * bidirectional marks, embeddings, overrides and isolates that make "\u202egnp.exe" read as "exe.png", zero-width
 * spaces and joiners, the byte-order mark, tag characters.
 *
 * The status page keeps a copy of this list in `status/page/escape.js` (a browser module cannot import this file);
 * `escape-control.spec.ts` checks that both escape exactly the same characters.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * {@link INVISIBLE} but C0: `JSON.stringify` escapes C0 inside strings itself, and outside strings a newline is the
 * layout of indented JSON.
 */
const JSON_RAW = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (NAMED[char]) return NAMED[char];
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control and format character written as a visible escape (`\n`, `\x1b`, `\u202e`,
 * `\u{e0001}`), so a logged or printed value (a manifest's name, an error from a driver) can neither start a forged
 * line, send a terminal escape, nor reorder or hide the text around it.
 */
export function escapeControl(text: string): string {
  return text.replace(INVISIBLE, escapeOne);
}

/**
 * A serialised JSON line with the characters `JSON.stringify` leaves as they are (DEL, C1, the separators and every
 * format character) written as `\u` escapes too, a UTF-16 unit each; they can only occur inside strings, so the
 * JSON stays valid and parses to the same value.
 */
export function escapeJsonControl(json: string): string {
  return json.replace(JSON_RAW, (char) =>
    Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''),
  );
}
