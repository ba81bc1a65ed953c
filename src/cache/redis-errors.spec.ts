import { explainRedisError, isMissingDatabase } from './redis-errors';

const plain = { tls: false, database: 9 };
const tls = { tls: true, database: 0 };

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

  it('leaves other errors as they are', () => {
    expect(explainRedisError(new Error('connect ECONNREFUSED 127.0.0.1:6379'), tls)).toBe(
      'connect ECONNREFUSED 127.0.0.1:6379',
    );
    expect(explainRedisError(new Error('connect ETIMEDOUT'), plain)).toBe('connect ETIMEDOUT');
  });
});
