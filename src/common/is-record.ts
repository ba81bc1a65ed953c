/** A plain object with string keys: not `null`, not an array. The one shape guard for parsed JSON and thrown values. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
