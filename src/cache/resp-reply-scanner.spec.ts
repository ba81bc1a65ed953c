import { MAX_REPLY_BYTES, MAX_REPLY_DEPTH, RespReplyScanner } from './resp-reply-scanner';

/** What a fresh scanner says about `bytes`, fed in pieces of `step` bytes (all at once by default). */
function scan(bytes: string | Buffer, step = Infinity): string | undefined | null {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
  const scanner = new RespReplyScanner();
  for (let at = 0; at < buffer.length; at += step) {
    const refusal = scanner.inspect(buffer.subarray(at, Math.min(buffer.length, at + step)));
    if (refusal) return refusal.reason ?? null;
  }
  return undefined;
}

const bulk = (text: string): string => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
const nested = (depth: number): string => '*1\r\n'.repeat(depth) + ':1\r\n';

/** Replies as a real Redis sends them to the service's connection, and a few deeper ones. */
const VALID = [
  '+PONG\r\n',
  '+OK\r\n+OK\r\n+OK\r\n',
  "-ERR unknown command 'CLIENT', with args beginning with: 'SETINFO'\r\n",
  ':0\r\n:-42\r\n:9223372036854775807\r\n',
  '$-1\r\n*-1\r\n*0\r\n$0\r\n\r\n',
  bulk('# Server\r\nredis_version:7.0.15\r\n'),
  '*3\r\n$3\r\nfoo\r\n*2\r\n:1\r\n$-1\r\n+x\r\n',
  '$4\r\na\r\nb\r\n', // CRLF inside a bulk string is data
  nested(MAX_REPLY_DEPTH),
];

describe('RespReplyScanner', () => {
  it.each(VALID)('passes what Redis sends, whole and split at every byte: %j', (reply) => {
    expect(scan(reply)).toBeUndefined();
    expect(scan(reply, 1)).toBeUndefined();
    expect(scan(reply, 3)).toBeUndefined();
  });

  it('refuses a reply nested deeper than the bound, the 3,000-deep one that overflowed the parser among them', () => {
    expect(scan(nested(MAX_REPLY_DEPTH + 1))).toBe(`it sent a reply nested deeper than ${MAX_REPLY_DEPTH} levels`);
    expect(scan(nested(3000), 7)).toBe(`it sent a reply nested deeper than ${MAX_REPLY_DEPTH} levels`);
  });

  it('counts depth per reply: many replies one after another are not one deep reply', () => {
    expect(scan('*1\r\n*1\r\n:1\r\n'.repeat(100))).toBeUndefined();
  });

  it('refuses an unknown type byte without a reason (the peer is simply not Redis)', () => {
    expect(scan('HTTP/1.1 400 Bad Request\r\n')).toBeNull();
    expect(scan('+OK\r\n%1\r\n')).toBeNull();
  });

  it.each([
    ['*1a\r\n', 'it sent a malformed length or number'],
    ['$-2\r\n', 'it sent a malformed length or number'],
    [':12x\r\n', 'it sent a malformed length or number'],
    [`:${'9'.repeat(30)}\r\n`, 'it sent a malformed length or number'],
    ['+OK\rX', 'it sent a line not ended by CRLF'],
    ['$2\r\nabc\r\n', 'it sent a bulk string longer than its length says'],
    ['$2\r\nab\rX', 'it sent a bulk string longer than its length says'],
  ])('refuses %j: %s', (reply, reason) => {
    expect(scan(reply)).toBe(reason);
    expect(scan(reply, 1)).toBe(reason);
  });

  it('refuses a declared size beyond the bound at its header, before anything is buffered or allocated', () => {
    const tooLong = `it sent a reply longer than ${MAX_REPLY_BYTES / 1024 / 1024} MiB`;
    expect(scan(`$${MAX_REPLY_BYTES}\r\n`)).toBe(tooLong);
    expect(scan('*30000000\r\n')).toBe(tooLong);
    // Each level alone fits; together the open arrays promise more than the bound.
    expect(scan(`*1000000\r\n*1000000\r\n`)).toBe(tooLong);
  });

  it('refuses a line that never ends once it passes the bound', () => {
    const scanner = new RespReplyScanner();
    expect(scanner.inspect(Buffer.from('+'))).toBeUndefined();
    const filler = Buffer.alloc(1024 * 1024, 0x61);
    let refusal;
    for (let i = 0; i < 5 && !refusal; i++) refusal = scanner.inspect(filler);
    expect(refusal?.reason).toMatch(/^it sent a reply longer than/);
  });

  it('keeps refusing after a refusal', () => {
    const scanner = new RespReplyScanner();
    expect(scanner.inspect(Buffer.from('!'))).toBeDefined();
    expect(scanner.inspect(Buffer.from('+PONG\r\n'))).toBeDefined();
  });
});
