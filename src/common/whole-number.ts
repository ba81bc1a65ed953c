/**
 * `text` as a whole number from `min` to `max`, or `undefined`. Digits only: no sign, fraction, exponent or blanks,
 * so `"1e3"`, `"-1"` and `" 5"` are refused rather than read as something the writer did not mean.
 */
export function parseWholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}
