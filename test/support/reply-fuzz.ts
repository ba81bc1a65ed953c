import type { SeededRandom } from './seeded-random';
import { pgMessage } from './wire-fakes';

/**
 * Replies a fuzzing server sends in place of a real Redis's or PostgreSQL's: noise, well-formed and almost
 * well-formed frames, mutations of good ones, absurd declared sizes and deep nesting, all drawn from one seeded
 * generator so a run can be replayed.
 */

/** Text of printable and control characters, CR and LF excluded (they would end the line early). */
function text(random: SeededRandom, max = 24): string {
  return Array.from({ length: random.int(0, max) }, () => {
    const code = random.chance(0.8) ? random.int(0x20, 0x7e) : random.int(0, 255);
    return code === 10 || code === 13 ? ' ' : String.fromCharCode(code);
  }).join('');
}

/** A length that is right most of the time, and otherwise off by a little or absurd. */
function declared(random: SeededRandom, right: number): number {
  if (random.chance(0.75)) return right;
  return random.pick([0, 1, right - 1, right + 1, random.int(0, 1000), 0x7fffffff, 2 ** 32 - 1]);
}

/** One RESP2 value, at most 6 arrays deep; sizes and counts mostly right. */
function respValue(random: SeededRandom, depth: number): string {
  switch (random.int(0, depth < 6 ? 7 : 5)) {
    case 0:
      return `+${text(random)}\r\n`;
    case 1:
      return `-ERR ${text(random)}\r\n`;
    case 2:
      return `:${random.pick([0, -1, random.int(-1e6, 1e6), Number.MAX_SAFE_INTEGER])}\r\n`;
    case 3: {
      const data = text(random, 40);
      return `$${declared(random, Buffer.byteLength(data, 'latin1'))}\r\n${data}\r\n`;
    }
    case 4:
      return random.pick(['$-1\r\n', '*-1\r\n', '*0\r\n', '$0\r\n\r\n']);
    case 5:
      return random.pick(['+PONG\r\n', '+OK\r\n', '-LOADING Redis is loading\r\n', '$4\r\nPONG\r\n']);
    default: {
      const count = random.int(1, 4);
      const elements = Array.from({ length: count }, () => respValue(random, depth + 1)).join('');
      return `*${declared(random, count)}\r\n${elements}`;
    }
  }
}

/** Flips, inserts or deletes a few bytes of `bytes`. */
function mutate(random: SeededRandom, bytes: Buffer): Buffer {
  const out = [...bytes];
  for (let i = random.int(1, 3); i > 0; i--) {
    const at = random.int(0, out.length);
    const action = random.int(0, 2);
    if (action === 0 && at < out.length) out[at] = random.int(0, 255);
    else if (action === 1) out.splice(at, 0, random.int(0, 255));
    else out.splice(at, 1);
  }
  return Buffer.from(out);
}

/** A reply (or several, or noise) to one Redis command. */
export function respReply(random: SeededRandom): Buffer {
  switch (random.int(0, 6)) {
    case 0:
      return random.bytes(random.int(1, 64));
    case 1:
    case 2:
      return Buffer.from(respValue(random, 0), 'latin1');
    case 3:
      return mutate(random, Buffer.from(respValue(random, 0), 'latin1'));
    case 4:
      return Buffer.from('*1\r\n'.repeat(random.int(32, 5000)) + random.pick([':1\r\n', '', '*1\r\n$3\r\nab']));
    case 5:
      return Buffer.from(`${random.pick(['$', '*'])}${random.pick([2 ** 31, 99999999999, 4194304, 30000000])}\r\n`);
    default:
      return Buffer.from(Array.from({ length: random.int(2, 4) }, () => respValue(random, 0)).join(''), 'latin1');
  }
}

/** Message types PostgreSQL sends, and a few it never does. */
const PG_TYPES = [...'RKS23CdcGHWDIEnNAtS1sZTVv'];

/** Error or notice fields: code byte and NUL-ended text, closed by a NUL (or, sometimes, not). */
function pgFields(random: SeededRandom): Buffer {
  const fields = Array.from({ length: random.int(0, 4) }, () => `${random.pick([...'SCMDHPW'])}${text(random)}\0`);
  const closing = random.chance(0.8) ? '\0' : '';
  return Buffer.from(fields.join('') + closing, 'latin1');
}

/** One backend message with a body of noise or of fields, its length mostly right. */
function pgFrame(random: SeededRandom): Buffer {
  const type = random.chance(0.9) ? random.pick(PG_TYPES) : String.fromCharCode(random.int(0, 255));
  const body = random.pick([
    () => random.bytes(random.int(0, 40)),
    () => pgFields(random),
    () => Buffer.from([0, random.int(0, 3), ...random.bytes(random.int(0, 12))]),
    () => Buffer.alloc(random.int(0, 8)),
  ])();
  return pgMessage(type, body, declared(random, body.length + 4));
}

/** An answer (or several, or noise) to one PostgreSQL frontend message. */
export function pgReply(random: SeededRandom, good: Buffer): Buffer {
  switch (random.int(0, 4)) {
    case 0:
      return random.bytes(random.int(1, 64));
    case 1:
      return mutate(random, good);
    case 2:
      return Buffer.concat([good.subarray(0, random.int(0, good.length)), pgFrame(random)]);
    default:
      return Buffer.concat(Array.from({ length: random.int(1, 5) }, () => pgFrame(random)));
  }
}
