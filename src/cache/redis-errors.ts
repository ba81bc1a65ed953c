import { topologyAddress, type RedisTopology } from './redis-topology-url';

/** What the service knows about its Redis connection, to word errors so an operator can act on them. */
export interface RedisTarget {
  /** Whether the URL asks for TLS (`rediss://`). */
  readonly tls: boolean;
  /** The database index the client selects. */
  readonly database: number;
  /** `host:port` of the server, which an operator can compare with what listens there. */
  readonly address: string;
}

/** The {@link RedisTarget} of validated cache settings. */
export function redisTargetOf(settings: {
  url: string;
  tls: boolean;
  database: number;
  topology?: RedisTopology;
}): RedisTarget {
  const { tls, database, topology } = settings;
  if (topology && topology.mode !== 'standalone') return { tls, database, address: topologyAddress(topology) };
  const { hostname, port } = new URL(settings.url);
  return { tls, database, address: `${hostname}:${port || 6379}` };
}

/**
 * The service's connection refused what the server sent before ioredis read it (see `GuardedRedisConnector`):
 * `reason` says what it was ("it sent a reply nested deeper than 64 levels") when there is more to say than "not
 * Redis".
 */
export class RedisProtocolError extends Error {
  override name = 'RedisProtocolError';

  constructor(
    readonly reason?: string,
    options?: ErrorOptions,
  ) {
    super(
      reason ? `the server broke the Redis protocol: ${reason}` : 'the server does not speak the Redis protocol',
      options,
    );
  }
}

/** ioredis met a reply while no command was waiting for one; it words it as a bug of its own and quotes the reply. */
const UNASKED_REPLY = /^Command queue state error/;

/**
 * Whether `error` says the peer is not Redis (an HTTP server, a database, something hostile): the connection's guard
 * refused its bytes, ioredis failed to parse them (`Protocol error, got "H" as reply type byte. Please report this.`,
 * which reads like a bug of its own), or it answered what nobody asked.
 */
export function isNotRedis(error: Error): boolean {
  return (
    error.name === 'RedisProtocolError' ||
    error.name === 'ParserError' ||
    /^Protocol error, got /.test(error.message) ||
    isUnaskedReply(error)
  );
}

/** Whether `error` is ioredis meeting a reply no command waits for: the connection is out of step with the server. */
export function isUnaskedReply(error: Error): boolean {
  return UNASKED_REPLY.test(error.message);
}

/** What the peer sent, for the errors {@link isNotRedis} recognises, when there is more to say than "not Redis". */
function notRedisReason(error: Error): string | undefined {
  if (error instanceof RedisProtocolError) return error.reason;
  return isUnaskedReply(error) ? 'it sent a reply to a command it was not sent' : undefined;
}

/**
 * Whether `error` is ioredis refusing a command because the connection is not open (`Stream isn't writeable and
 * enableOfflineQueue options is false`): a consequence of the connection's state, whose cause is reported apart.
 */
export function isNotWritable(error: Error): boolean {
  return /Stream isn't writeable/i.test(error.message);
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
  if (isNotRedis(error)) return notRedis(target, notRedisReason(error));
  if (isNotWritable(error)) return 'the connection is not open';
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

/** The message for a peer that answered something other than the Redis protocol, and how, when known. */
export function notRedis(target: RedisTarget, reason?: string): string {
  return `the server at ${target.address} does not speak the Redis protocol${reason ? ` (${reason})` : ''}`;
}
