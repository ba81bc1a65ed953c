import type { ErrorEmitter } from 'ioredis/built/connectors/AbstractConnector';
import SentinelConnector, { type SentinelConnectionOptions } from 'ioredis/built/connectors/SentinelConnector';
import StandaloneConnector, { type StandaloneConnectionOptions } from 'ioredis/built/connectors/StandaloneConnector';
import type { NetStream } from 'ioredis/built/types';
import { guardIncoming, WireRefusal, type IncomingGuard } from '../common/guarded-stream';
import { RedisProtocolError } from './redis-errors';
import { RespReplyScanner } from './resp-reply-scanner';

/**
 * ioredis's own connector for a single server, whose every connection is read by a {@link RespReplyScanner} before
 * ioredis's parser sees a byte, and whose parser cannot throw into the event loop (see `guardIncoming`).
 *
 * ioredis 5 parses with redis-parser 3.0.0, which recurses once per level of nested arrays with no bound and lets
 * the `RangeError` escape its `data` listener: a server answering `PING` with 3,000 nested arrays ends the process.
 * The 5.x line keeps that parser (ioredis 6 replaced it and catches what it throws, but typeorm's optional peer pins
 * ioredis 5). Passed as ioredis's `Connector` option, the one seam ioredis offers for making its connections.
 * StandaloneConnector is ioredis's internal module: its path is pinned by package-lock.json and this is the one file
 * that imports it (and SentinelConnector). A Cluster's nodes are single servers, so they take this one too.
 */
export class GuardedRedisConnector extends StandaloneConnector {
  /** ioredis calls every `Connector` with its options as `unknown`; they are the ones it gives its own connector. */
  constructor(options: unknown) {
    super(options as StandaloneConnectionOptions);
  }

  override connect(emitter: ErrorEmitter): Promise<NetStream> {
    return guarded(super.connect(emitter));
  }
}

/** The one seam of SentinelConnector for its own connections to the sentinels (private in ioredis's typings). */
interface SentinelClientMaker {
  connectToSentinel: (this: SentinelClientMaker, endpoint: unknown, options?: Record<string, unknown>) => unknown;
}

/**
 * ioredis's connector for a master found through Sentinel, with the same guard on every connection it makes: the
 * one to the master, and its own to the sentinels, where it asks for the master's address at each (re)connect (and
 * subscribes, with a failover detector). Unguarded, a sentinel answering that question with 3,000 nested arrays ended
 * the process. A `Connector` option replaces the SentinelConnector ioredis would make, so this one must be it.
 */
export class GuardedSentinelConnector extends SentinelConnector {
  /** As {@link GuardedRedisConnector}'s: ioredis passes the client's options, sentinels and master name included. */
  constructor(options: unknown) {
    super(options as SentinelConnectionOptions);
    // ioredis makes its sentinel clients in `connectToSentinel` (a private method: this cannot override it by name),
    // each a `Redis` that takes a `Connector` option like any; the guarded one goes in last, over ioredis's options.
    const maker = this as unknown as SentinelClientMaker;
    const connectToSentinel = maker.connectToSentinel;
    if (typeof connectToSentinel !== 'function') {
      throw new Error('ioredis changed: SentinelConnector has no connectToSentinel to guard (see redis-connector.ts)');
    }
    maker.connectToSentinel = (endpoint, sentinelOptions) =>
      connectToSentinel.call(maker, endpoint, { ...sentinelOptions, Connector: GuardedRedisConnector });
  }

  override connect(emitter: ErrorEmitter): Promise<NetStream> {
    return guarded(super.connect(emitter));
  }
}

/** The connection `connecting` opens, read through {@link redisGuard} from its first byte. */
async function guarded(connecting: Promise<NetStream>): Promise<NetStream> {
  const stream = await connecting;
  guardIncoming(stream, redisGuard());
  return stream;
}

/** The guard of one connection: a scanner of its own, since a reply may be split across chunks. */
function redisGuard(): IncomingGuard {
  const scanner = new RespReplyScanner();
  return {
    inspect: (chunk) => scanner.inspect(chunk),
    unreadable: new WireRefusal('it sent a reply the client could not read'),
    error: (refusal, cause) => new RedisProtocolError(refusal.reason, { cause }),
  };
}
