import { MAX_MESSAGE_BYTES, PgMessageScanner } from './pg-message-scanner';

/** One backend message: type, length (its own four bytes included), body. */
function message(type: string, body: Buffer | string = Buffer.alloc(0), length?: number): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(length ?? bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
}

/** What a fresh scanner says about `bytes`, fed in pieces of `step` bytes (all at once by default). */
function scan(bytes: Buffer, step = Infinity): string | undefined | null {
  const scanner = new PgMessageScanner();
  for (let at = 0; at < bytes.length; at += step) {
    const refusal = scanner.inspect(bytes.subarray(at, Math.min(bytes.length, at + step)));
    if (refusal) return refusal.reason ?? null;
  }
  return undefined;
}

/** What a real PostgreSQL sends for a login and `SELECT 1`, an error and a notice among them. */
const SESSION = Buffer.concat([
  message('R', Buffer.from([0, 0, 0, 0])),
  message('S', 'server_version\0' + '16.4\0'),
  message('K', Buffer.alloc(8)),
  message('Z', 'I'),
  message('T', Buffer.concat([Buffer.from([0, 1]), Buffer.from('?column?\0'), Buffer.alloc(18)])),
  message('D', Buffer.from([0, 1, 0, 0, 0, 1, 0x31])),
  message('C', 'SELECT 1\0'),
  message('N', 'SNOTICE\0Mhello\0\0'),
  message('E', 'SERROR\0C42P01\0Mrelation "x" does not exist\0\0'),
  message('I'),
  message('Z', 'I'),
]);

describe('PgMessageScanner', () => {
  it('passes what PostgreSQL sends, whole and split at every byte', () => {
    expect(scan(SESSION)).toBeUndefined();
    expect(scan(SESSION, 1)).toBeUndefined();
    expect(scan(SESSION, 7)).toBeUndefined();
  });

  it('refuses a message type pg does not know, the "Q" after ReadyForQuery among them, naming it', () => {
    const hostile = Buffer.concat([message('R', Buffer.alloc(4)), message('Z', 'I'), message('Q', 'x\0')]);
    expect(scan(hostile)).toBe("it sent an unknown message type 'Q'");
    expect(scan(Buffer.from([5, 0, 0, 0, 4]))).toBe('it sent an unknown message type 0x05');
  });

  it('refuses a length below the length field itself, which would make the parser read the next message', () => {
    expect(scan(message('Z', '', 3))).toBe('it sent a message shorter than its own header');
  });

  it('refuses a length above the bound at its header, before the driver buffers it', () => {
    expect(scan(message('D', '', MAX_MESSAGE_BYTES + 5))).toBe('it sent a message longer than 4 MiB');
    expect(scan(message('D', '', MAX_MESSAGE_BYTES + 4))).toBeUndefined();
  });

  it.each([
    ['a field without its NUL (pg-protocol loops forever on it)', 'X'],
    ['fields without the closing NUL', 'Mhello\0'],
    ['an empty body', ''],
    ['bytes after the closing NUL', 'Mhi\0\0X'],
  ])('refuses an error or notice with %s, split or whole', (_, body) => {
    const reason = 'it sent an error or notice whose fields do not end inside it';
    for (const type of ['E', 'N']) {
      expect(scan(message(type, body))).toBe(reason);
      expect(scan(message(type, body), 1)).toBe(reason);
    }
  });

  it('says what kind of server answered when the connection began like one (the length alone says nothing useful)', () => {
    expect(scan(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), 3)).toBe('it answered like HTTP');
    expect(scan(Buffer.from('-ERR unknown command\r\n'))).toBe('it answered like Redis');
    expect(scan(Buffer.concat([message('R', Buffer.alloc(4)), Buffer.from('HTTP/1.1')]))).toBe(
      'it sent a message longer than 4 MiB',
    );
  });

  it('keeps refusing after a refusal', () => {
    const scanner = new PgMessageScanner();
    expect(scanner.inspect(message('Q'))).toBeDefined();
    expect(scanner.inspect(message('Z', 'I'))).toBeDefined();
  });
});
