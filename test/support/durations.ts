/**
 * A duration as compose and the Dockerfile's HEALTHCHECK write them (`15s`, `1m30s`, `500ms`), in milliseconds.
 * Fails the test when any part of `value` is not such a duration, rather than reading a typo as zero.
 */
export function durationMs(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  expect(parts.map((p) => p[0]).join('')).toBe(value);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u as keyof typeof unit], 0);
}
