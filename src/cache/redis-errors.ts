/** What the service knows about its Redis connection, to word errors so an operator can act on them. */
export interface RedisTarget {
  /** Whether the URL asks for TLS (`rediss://`). */
  readonly tls: boolean;
  /** The database index the client selects. */
  readonly database: number;
}

/** Whether `error` is Redis refusing the `SELECT` of a database the server does not have. */
export function isMissingDatabase(error: Error): boolean {
  return /DB index is out of range|invalid DB index/i.test(error.message);
}

/**
 * One line for an error of the Redis client. A refused `SELECT` says which database is missing; with `rediss://`, a
 * connect timeout or an OpenSSL error says TLS, since the usual cause is a server that does not speak it (ioredis
 * reports only `connect ETIMEDOUT` or `wrong version number`).
 */
export function explainRedisError(error: Error, target: RedisTarget): string {
  if (isMissingDatabase(error)) return missingDatabase(target.database);
  if (target.tls && /ETIMEDOUT|SSL|TLS|wrong version number|ECONNRESET|socket disconnected/i.test(error.message)) {
    // No "rediss://" in the text: redaction would read it as a URL and swallow what follows.
    return `TLS connection failed (${error.message}): REDIS_URL asks for TLS; does the server speak it?`;
  }
  return error.message;
}

/** The message for a database index the server refused. */
export function missingDatabase(database: number): string {
  return `redis database ${database} does not exist on the server (SELECT ${database} refused)`;
}
