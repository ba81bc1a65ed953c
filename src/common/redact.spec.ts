import { runInNewContext } from 'node:vm';
import { describeError, describeFailure, redact } from './redact';
import { TimeoutError } from './timeout';

describe('redact', () => {
  it('cuts connection URLs to scheme, host and port', () => {
    expect(redact('cannot reach postgres://admin:hunter2@db.internal:5432/app?sslmode=require now')).toBe(
      'cannot reach postgres://db.internal:5432 now',
    );
    expect(redact('redis://:tok3n@cache:6379/0 refused')).toBe('redis://cache:6379 refused');
  });

  it('masks password, token and key pairs', () => {
    const out = redact('auth failed: password=hunter2 token: abc123 api_key="k-9" secret=x');
    expect(out).not.toMatch(/hunter2|abc123|k-9|secret=x/);
    expect(out).toContain('password=***');
  });

  it('cuts a password that itself contains "@"', () => {
    expect(redact('bad postgres://user:p@ss@db.internal:5432/app')).toBe('bad postgres://db.internal:5432');
  });

  it('masks a quoted value with spaces whole', () => {
    const out = redact('auth failed: password="two words" and secret=\'a b\' end');
    expect(out).not.toMatch(/two|words|a b/);
    expect(out).toBe('auth failed: password=*** and secret=*** end');
  });

  it('masks JSON-style pairs', () => {
    expect(redact('{"token":"abc def","user":"x"}')).toBe('{"token":***,"user":"x"}');
  });

  it('leaves a path that ends in a secret-looking word alone', () => {
    expect(redact('/etc/passwd: is not a directory')).toBe('/etc/passwd: is not a directory');
    expect(redact('open /run/secrets/token: permission denied')).toBe('open /run/secrets/token: permission denied');
    expect(redact('C:\\app\\password: no such file')).toBe('C:\\app\\password: no such file');
    expect(redact('passwd: hunter2 and db.password=s3cret')).toBe('passwd: *** and db.password=***');
  });

  it('keeps only the first line, so no stack trace gets out', () => {
    expect(redact('boom\n    at Foo (/app/dist/x.js:1:2)')).toBe('boom');
  });

  it('caps the length at 200 characters', () => {
    const out = redact('x'.repeat(500));
    expect(out).toHaveLength(200);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('describeError', () => {
  it('uses the message of an Error, with its code when the message lacks it', () => {
    const error = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(describeError(error)).toBe('ECONNRESET: socket hang up');
    expect(describeError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toBe(
      'connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('unwraps an AggregateError with an empty message', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    expect(describeError(new AggregateError([inner], ''))).toBe('connect ECONNREFUSED ::1:5432');
  });

  it('handles strings and values that are not errors', () => {
    expect(describeError('plain')).toBe('plain');
    expect(describeError({ weird: true })).toBe('unknown error');
    expect(describeError(new Error(''))).toBe('Error');
  });

  it('redacts what it describes', () => {
    expect(describeError(new Error('bad url postgres://u:pw@h:1/d'))).toBe('bad url postgres://h:1');
  });
});

describe('describeFailure', () => {
  it('lets a timeout speak for itself', () => {
    expect(describeFailure('database unreachable', new TimeoutError('database SELECT 1', 2000))).toBe(
      'database SELECT 1 timed out after 2000 ms',
    );
  });

  it('prefixes any other error with what failed', () => {
    expect(describeFailure('redis unreachable', new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe(
      'redis unreachable: connect ECONNREFUSED 127.0.0.1:6379',
    );
  });
});

describe('describeError across realms', () => {
  it('describes an error object from another realm (instanceof Error is false there)', () => {
    const foreign: unknown = runInNewContext('new Error("connect ECONNREFUSED 127.0.0.1:9")');
    expect(foreign instanceof Error).toBe(false);
    expect(describeError(foreign)).toBe('connect ECONNREFUSED 127.0.0.1:9');
  });
});
