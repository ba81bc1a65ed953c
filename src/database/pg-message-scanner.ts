import { WireRefusal } from '../common/guarded-stream';
import { peerKindOf } from './postgres-peer';

/**
 * How long one message may be. The service's connection runs `SELECT 1` and TypeORM's start-up queries, whose
 * answers take a few hundred bytes; this bounds what the driver buffers for a message it waits to complete.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/** A message's type byte and its length (which counts itself but not the type byte). */
const HEADER_BYTES = 5;
const LENGTH_BYTES = 4;
/** The backend messages pg-protocol reads; any other type it turns into an error that names only its code. */
const TYPES = new Set([...'R K 2 3 C d c G H W D I E n N A t S 1 s Z T'.split(' ')].map((type) => type.charCodeAt(0)));
/** How many of the connection's first bytes tell what kind of server sent them. */
const FIRST_BYTES = 16;
/** ErrorResponse and NoticeResponse: fields of a code byte and a NUL-ended string, then a NUL. */
const FIELD_LISTS = new Set([0x45, 0x4e]); // E N

/**
 * Reads PostgreSQL backend messages ahead of pg's parser and refuses what PostgreSQL never sends: a type pg-protocol
 * does not know, a length below its own four bytes or above {@link MAX_MESSAGE_BYTES}, and an ErrorResponse or
 * NoticeResponse whose fields do not end inside it. pg-protocol reads those fields until it meets a NUL without
 * looking at the message's end: six bytes (`E`, length 5, `X`) at the end of what arrived keep it looping forever,
 * with the event loop blocked. Messages may arrive split at any byte. One scanner reads one connection (after the
 * TLS handshake, when there is one); after a refusal it refuses everything.
 */
export class PgMessageScanner {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerBytes = 0;
  private bodyLeft = 0;
  /** The body of an ErrorResponse or NoticeResponse being read, kept to check its fields when it is complete. */
  private fields?: Buffer[];
  /** The connection's first bytes, which tell a server of another kind (an HTTP server's `HTTP/1.1 400`). */
  private first = Buffer.alloc(0);
  private refusal?: WireRefusal;

  /** Reads `chunk`; a refusal when the bytes so far cannot be PostgreSQL's messages. */
  inspect(chunk: Buffer): WireRefusal | undefined {
    if (this.first.length < FIRST_BYTES) this.first = Buffer.concat([this.first, chunk]).subarray(0, FIRST_BYTES);
    let at = 0;
    while (at < chunk.length && !this.refusal) {
      if (this.bodyLeft > 0) {
        const body = chunk.subarray(at, at + this.bodyLeft);
        this.fields?.push(body);
        this.bodyLeft -= body.length;
        at += body.length;
        if (this.bodyLeft === 0) this.endBody();
        continue;
      }
      this.header[this.headerBytes++] = chunk[at++];
      if (this.headerBytes === 1 && !TYPES.has(this.header[0])) {
        this.refuse(`it sent an unknown message type ${typeName(this.header[0])}`);
      } else if (this.headerBytes === HEADER_BYTES) {
        this.startBody(this.header.readUInt32BE(1));
      }
    }
    return this.refusal;
  }

  private startBody(length: number): void {
    this.headerBytes = 0;
    if (length < LENGTH_BYTES) {
      this.refuse('it sent a message shorter than its own header');
      return;
    }
    if (length - LENGTH_BYTES > MAX_MESSAGE_BYTES) {
      this.refuse(`it sent a message longer than ${MAX_MESSAGE_BYTES / 1024 / 1024} MiB`);
      return;
    }
    this.bodyLeft = length - LENGTH_BYTES;
    this.fields = FIELD_LISTS.has(this.header[0]) ? [] : undefined;
    if (this.bodyLeft === 0) this.endBody();
  }

  /**
   * Refuses for `reason`, unless the connection began as a server of another kind does: then that is the reason
   * (an HTTP server's `HTTP/1.1` reads as a 1.4 GB CopyOutResponse, which says nothing useful).
   */
  private refuse(reason: string): void {
    const kind = peerKindOf(this.first);
    this.refusal = new WireRefusal(kind === 'HTTP' || kind === 'Redis' ? `it answered like ${kind}` : reason);
  }

  private endBody(): void {
    if (this.fields && !fieldsEndInside(Buffer.concat(this.fields))) {
      this.refuse('it sent an error or notice whose fields do not end inside it');
    }
    this.fields = undefined;
  }
}

/** Whether `body` is a list of (code byte, NUL-ended string) pairs closed by a NUL, as pg-protocol reads it. */
function fieldsEndInside(body: Buffer): boolean {
  let at = 0;
  while (at < body.length) {
    if (body[at] === 0) return at === body.length - 1;
    const end = body.indexOf(0, at + 1);
    if (end < 0) return false;
    at = end + 1;
  }
  return false;
}

/** A type byte as a person can read it: `'Q'` when printable, else its code (`0x05`). */
function typeName(byte: number): string {
  return byte > 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `0x${byte.toString(16).padStart(2, '0')}`;
}
