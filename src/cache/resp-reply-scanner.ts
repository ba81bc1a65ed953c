import { WireRefusal } from '../common/guarded-stream';

/**
 * How deep arrays may nest in one reply. redis-parser 3 (ioredis 5's parser) recurses three stack frames per level
 * with no bound, so a reply of 3,000 nested arrays (12 KB) overflows the stack; Redis's own replies nest a few
 * levels (XINFO STREAM FULL, COMMAND DOCS), and hiredis caps them at 1,024.
 */
export const MAX_REPLY_DEPTH = 64;

/**
 * How many bytes one reply may take. The service's connection only ever asks for `INFO` (a few KiB), `PING`,
 * `SELECT` and `CLIENT`; this also bounds what the parser buffers and the arrays it allocates up front
 * (`*30000000\r\n` alone would make it allocate 240 MB).
 */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024;

const CR = 0x0d;
const LF = 0x0a;
/** Smallest element of an array: a type byte and CRLF (`+\r\n`). */
const MIN_ELEMENT_BYTES = 3;
/** The reply types of RESP2, the protocol ioredis 5 speaks and redis-parser 3 reads. */
const TYPES = new Set([0x2b, 0x2d, 0x3a, 0x24, 0x2a]); // + - : $ *
const SIMPLE = new Set([0x2b, 0x2d]); // + -: text up to CRLF
/** A length (`$`, `*`) is -1 or a count; an integer (`:`) a signed 64-bit number (at most 20 characters). */
const LENGTH = /^(?:-1|\d{1,10})$/;
const INTEGER = /^-?\d{1,19}$/;

type Step = 'type' | 'line' | 'line-lf' | 'payload' | 'payload-cr' | 'payload-lf';

/**
 * Reads Redis replies ahead of ioredis's parser, without recursion, and refuses what Redis never sends: an unknown
 * type byte, a malformed length or number, a line or bulk string not ended by CRLF, a reply nested deeper than
 * {@link MAX_REPLY_DEPTH} or longer than {@link MAX_REPLY_BYTES}. Replies may arrive split at any byte. One scanner
 * reads one connection; after a refusal it refuses everything.
 */
export class RespReplyScanner {
  private step: Step = 'type';
  private type = 0;
  /** Characters of the current length or integer line (simple strings are not kept). */
  private line = '';
  private payloadLeft = 0;
  /** For each open array, outermost first: how many of its elements have not started yet. */
  private readonly open: number[] = [];
  /** Bytes of the current reply read so far, and the least its open arrays still need. */
  private replyBytes = 0;
  private promisedBytes = 0;
  private refusal?: WireRefusal;

  /** Reads `chunk`; a refusal when the bytes so far cannot be Redis replies. */
  inspect(chunk: Buffer): WireRefusal | undefined {
    for (let at = 0; at < chunk.length && !this.refusal;) {
      if (this.step === 'payload') {
        const taken = Math.min(this.payloadLeft, chunk.length - at);
        this.payloadLeft -= taken;
        this.replyBytes += taken;
        at += taken;
        if (this.payloadLeft === 0) this.step = 'payload-cr';
        continue;
      }
      this.replyBytes++;
      if (this.replyBytes + this.promisedBytes > MAX_REPLY_BYTES) {
        this.refuse(`it sent a reply longer than ${MAX_REPLY_BYTES / 1024 / 1024} MiB`);
        break;
      }
      this.read(chunk[at++]);
    }
    return this.refusal;
  }

  private read(byte: number): void {
    switch (this.step) {
      case 'type':
        return this.startValue(byte);
      case 'line':
        if (byte === CR) this.step = 'line-lf';
        else if (!SIMPLE.has(this.type) && this.line.length < 21) this.line += String.fromCharCode(byte);
        else if (!SIMPLE.has(this.type)) this.refuse('it sent a malformed length or number');
        return;
      case 'line-lf':
        return byte === LF ? this.endLine() : this.refuse('it sent a line not ended by CRLF');
      case 'payload-cr':
        if (byte === CR) this.step = 'payload-lf';
        else this.refuse('it sent a bulk string longer than its length says');
        return;
      case 'payload-lf':
        return byte === LF ? this.endValue() : this.refuse('it sent a bulk string longer than its length says');
      case 'payload':
        return; // consumed in bulk by inspect
    }
  }

  private startValue(byte: number): void {
    if (!TYPES.has(byte)) return this.refuse();
    if (this.open.length > 0) {
      this.open[this.open.length - 1]--;
      this.promisedBytes -= MIN_ELEMENT_BYTES;
    }
    this.type = byte;
    this.line = '';
    this.step = 'line';
  }

  private endLine(): void {
    const { line, type } = this;
    if (SIMPLE.has(type)) return this.endValue();
    if (type === 0x3a)
      return INTEGER.test(line) ? this.endValue() : this.refuse('it sent a malformed length or number');
    if (!LENGTH.test(line)) return this.refuse('it sent a malformed length or number');
    const length = Number(line);
    if (length < 0 || (length === 0 && type === 0x2a)) return this.endValue(); // a null string or array, or `*0`
    const needed = type === 0x24 ? length + 2 : length * MIN_ELEMENT_BYTES;
    if (this.replyBytes + this.promisedBytes + needed > MAX_REPLY_BYTES) {
      return this.refuse(`it sent a reply longer than ${MAX_REPLY_BYTES / 1024 / 1024} MiB`);
    }
    if (type === 0x24) {
      this.payloadLeft = length;
      this.step = length > 0 ? 'payload' : 'payload-cr';
      return;
    }
    if (this.open.length >= MAX_REPLY_DEPTH)
      return this.refuse(`it sent a reply nested deeper than ${MAX_REPLY_DEPTH} levels`);
    this.open.push(length);
    this.promisedBytes += needed;
    this.step = 'type';
  }

  /** A value ended: so does every array it was the last element of, and with the outermost, the reply. */
  private endValue(): void {
    while (this.open.length > 0 && this.open[this.open.length - 1] === 0) this.open.pop();
    if (this.open.length === 0) this.replyBytes = 0;
    this.step = 'type';
  }

  private refuse(reason?: string): void {
    this.refusal = new WireRefusal(reason);
  }
}
