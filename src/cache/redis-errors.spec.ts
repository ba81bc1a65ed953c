import {
  explainRedisError,
  isMissingDatabase,
  isNotRedis,
  isUnaskedReply,
  RedisProtocolError,
  redisTargetOf,
} from './redis-errors';

const plain = { tls: false, database: 9, address: 'cache:6379' };
const tls = { tls: true, database: 0, address: 'cache:6380' };

describe('explainRedisError', () => {
  it('names a database the server does not have', () => {
    const error = new Error('ERR DB index is out of range');
    expect(isMissingDatabase(error)).toBe(true);
    expect(explainRedisError(error, plain)).toBe('redis database 9 does not exist on the server (SELECT 9 refused)');
  });

  it('says TLS when a rediss:// connection times out or fails the handshake', () => {
    expect(explainRedisError(new Error('connect ETIMEDOUT'), tls)).toMatch(
      /^TLS connection failed \(connect ETIMEDOUT\)/,
    );
    expect(explainRedisError(new Error('ssl3_get_record:wrong version number'), tls)).toMatch(/^TLS connection failed/);
  });

  it('says the peer is not Redis instead of passing on the parser\'s "Please report this"', () => {
    const parser = Object.assign(new Error('Protocol error, got "H" as reply type byte. Please report this.'), {
      name: 'ParserError',
    });
    expect(isNotRedis(parser)).toBe(true);
    expect(explainRedisError(parser, plain)).toBe('the server at cache:6379 does not speak the Redis protocol');
  });

  it('says what a peer sent that the connection refused, and nothing when there is no more to say', () => {
    const deep = new RedisProtocolError('it sent a reply nested deeper than 64 levels');
    expect(isNotRedis(deep)).toBe(true);
    expect(explainRedisError(deep, plain)).toBe(
      'the server at cache:6379 does not speak the Redis protocol (it sent a reply nested deeper than 64 levels)',
    );
    expect(explainRedisError(new RedisProtocolError(), plain)).toBe(
      'the server at cache:6379 does not speak the Redis protocol',
    );
  });

  it('words a reply nobody asked for without quoting it or asking to report a bug', () => {
    const error = new Error(
      'Command queue state error. If you can reproduce this, please report it. Last reply: \u001b[31mhi',
    );
    expect(isUnaskedReply(error)).toBe(true);
    expect(explainRedisError(error, plain)).toBe(
      'the server at cache:6379 does not speak the Redis protocol (it sent a reply to a command it was not sent)',
    );
  });

  it("words a command refused on a closed stream without the client's option names", () => {
    const error = new Error("Stream isn't writeable and enableOfflineQueue options is false");
    expect(explainRedisError(error, plain)).toBe('the connection is not open');
  });

  it('leaves other errors as they are', () => {
    expect(explainRedisError(new Error('connect ECONNREFUSED 127.0.0.1:6379'), tls)).toBe(
      'connect ECONNREFUSED 127.0.0.1:6379',
    );
    expect(explainRedisError(new Error('connect ETIMEDOUT'), plain)).toBe('connect ETIMEDOUT');
  });
});

describe('redisTargetOf', () => {
  it('names host and port, the default port when the URL has none, and never the password', () => {
    expect(redisTargetOf({ url: 'redis://:s3cret@cache:6380/2', tls: false, database: 2 })).toEqual({
      tls: false,
      database: 2,
      address: 'cache:6380',
    });
    expect(redisTargetOf({ url: 'redis://cache', tls: false, database: 0 }).address).toBe('cache:6379');
  });
});
