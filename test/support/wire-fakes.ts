import type { Socket } from 'node:net';

/**
 * The two wire protocols from the server's side, as far as fake servers need them: read what the service's drivers
 * send, answer as a real server would, so a test can answer some things hostilely and the rest correctly.
 */

/** One PostgreSQL backend message: type byte, length (its own four bytes included, unless given), body. */
export function pgMessage(type: string, body: Buffer | string = Buffer.alloc(0), length?: number): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1');
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(length ?? bytes.length + 4, 1);
  return Buffer.concat([header, bytes]);
}

/** PostgreSQL's answer to a startup message: trust login, one parameter, a key, ready. */
export const PG_LOGIN = Buffer.concat([
  pgMessage('R', Buffer.alloc(4)),
  pgMessage('S', 'server_version\0' + '16.4\0'),
  pgMessage('K', Buffer.alloc(8)),
  pgMessage('Z', 'I'),
]);

/** A one-row, one-text-column answer to a simple query, ready again after it. */
export function pgRow(column: string, value: string): Buffer {
  const field = Buffer.concat([Buffer.from(`${column}\0`), Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 25, 255, 255])]);
  const description = Buffer.concat([Buffer.from([0, 1]), field, Buffer.from([255, 255, 255, 255, 0, 0])]);
  const cell = Buffer.alloc(6 + Buffer.byteLength(value));
  cell.writeInt16BE(1, 0);
  cell.writeInt32BE(Buffer.byteLength(value), 2);
  cell.write(value, 6);
  return Buffer.concat([
    pgMessage('T', description),
    pgMessage('D', cell),
    pgMessage('C', 'SELECT 1\0'),
    pgMessage('Z', 'I'),
  ]);
}

/** What PostgreSQL answers to the queries TypeORM's start-up and the database check send. */
export function pgAnswer(query: string): Buffer {
  if (/version\(\)/.test(query)) return pgRow('version', 'PostgreSQL 16.4 on x86_64-pc-linux-gnu, 64-bit');
  if (/current_database/.test(query)) return pgRow('current_database', 'postgres');
  if (/current_schema/.test(query)) return pgRow('current_schema', 'public');
  return pgRow('?column?', '1');
}

/** A frontend message as a fake server sees it: the first one has no type byte. */
export type PgFrontend =
  | { readonly kind: 'ssl-request' }
  | { readonly kind: 'startup' }
  | { readonly kind: 'query'; readonly text: string }
  | { readonly kind: 'other'; readonly type: string };

/** Calls `onMessage` for every frontend message the service sends on `socket` (split or joined in any way). */
export function readPgMessages(socket: Socket, onMessage: (message: PgFrontend) => void): void {
  let pending = Buffer.alloc(0);
  let started = false;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const typed = started ? 1 : 0;
      if (pending.length < typed + 4) return;
      const length = pending.readUInt32BE(typed);
      if (length > 1 << 20) return socket.destroy(); // not a frontend message (identify's Redis PING)
      if (pending.length < typed + length) return;
      const body = pending.subarray(typed + 4, typed + length);
      if (!started && length === 8 && body.readUInt32BE(0) === 80877103) onMessage({ kind: 'ssl-request' });
      else if (!started) {
        started = true;
        onMessage({ kind: 'startup' });
      } else {
        const type = String.fromCharCode(pending[0]);
        onMessage(type === 'Q' ? { kind: 'query', text: body.toString('utf8') } : { kind: 'other', type });
      }
      pending = pending.subarray(typed + length);
    }
  });
}

/** Calls `onCommand` with each command (its arguments, the name lower-cased) the service sends on `socket`. */
export function readRedisCommands(socket: Socket, onCommand: (command: string[]) => void): void {
  let pending = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    pending += chunk;
    for (;;) {
      const parsed = parseCommand(pending);
      if (!parsed) return;
      pending = pending.slice(parsed.used);
      onCommand([parsed.args[0].toLowerCase(), ...parsed.args.slice(1)]);
    }
  });
}

/** One command in RESP (an array of bulk strings, as ioredis writes them) from the start of `text`, if complete. */
function parseCommand(text: string): { args: string[]; used: number } | undefined {
  const header = /^\*(\d+)\r\n/.exec(text);
  if (!header) return undefined;
  let at = header[0].length;
  const args: string[] = [];
  for (let i = 0; i < Number(header[1]); i++) {
    const bulk = /^\$(\d+)\r\n/.exec(text.slice(at));
    if (!bulk) return undefined;
    const start = at + bulk[0].length;
    const end = start + Number(bulk[1]);
    if (text.length < end + 2) return undefined;
    args.push(text.slice(start, end));
    at = end + 2;
  }
  return { args, used: at };
}

/** What Redis answers to the commands ioredis's handshake and the cache check send. */
export function redisAnswer(command: readonly string[]): string {
  if (command[0] === 'ping') return '+PONG\r\n';
  if (command[0] === 'info') {
    const info = '# Server\r\nredis_version:7.0.15\r\nloading:0\r\n';
    return `$${Buffer.byteLength(info)}\r\n${info}\r\n`;
  }
  return '+OK\r\n';
}
