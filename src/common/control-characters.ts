// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * `text` with every control character (newline, carriage return, ESC, DEL, C1) written as a JSON-style escape, so a
 * name taken from the file system or a manifest stays on one log line and cannot drive the reader's terminal.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
