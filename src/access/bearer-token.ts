import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an `Authorization` header carries `Bearer <token>`. Compares SHA-256 digests with `timingSafeEqual`: equal
 * lengths whatever was sent, so neither the token's content nor its length leaks through the answer's timing.
 */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
  const presented = match?.[1] ?? '';
  // Compared even when nothing was presented, so a missing header costs the same as a wrong one.
  const equal = timingSafeEqual(digest(presented), digest(token));
  return equal && match !== null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
