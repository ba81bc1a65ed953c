// Text from the service shown visibly: a manifest's name or a driver's error may hold characters that reorder or
// hide the text around them. A copy of src/logging/escape-control.ts (a browser module cannot import it);
// escape-control.spec.ts checks that both escape exactly the same characters, the same way.

/** Control characters, the line and paragraph separators, and every format character (bidi controls included). */
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

const NAMED = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char) {
  const code = char.codePointAt(0);
  if (NAMED[char]) return NAMED[char];
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control and format character written as a visible escape: "\u202egnp.exe" stays as written. */
export function escapeControl(text) {
  return String(text).replace(INVISIBLE, escapeOne);
}
