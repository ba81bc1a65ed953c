import { PassThrough } from 'node:stream';
import { guardIncoming, WireRefusal, type IncomingGuard } from './guarded-stream';

/** A guard that refuses chunks starting with `!` and names its errors after the refusal. */
function guard(): IncomingGuard & { errors: Array<{ reason?: string; cause?: unknown }> } {
  const errors: Array<{ reason?: string; cause?: unknown }> = [];
  return {
    errors,
    unreadable: new WireRefusal('something unreadable'),
    inspect: (chunk) => (chunk[0] === 0x21 ? new WireRefusal('a bang') : undefined),
    error: (refusal, cause) => {
      errors.push({ reason: refusal.reason, cause });
      return new Error(`refused: ${refusal.reason}`);
    },
  };
}

/** A stream whose destruction is observed as a driver would: through its `error` and `close` events. */
function guarded() {
  const stream = new PassThrough();
  const rules = guard();
  guardIncoming(stream, rules);
  const failed = new Promise<Error>((resolve) => stream.on('error', resolve));
  return { stream, rules, failed };
}

describe('guardIncoming', () => {
  it('hands well-formed chunks to every listener, in order', () => {
    const { stream } = guarded();
    const seen: string[] = [];
    stream.on('data', (chunk: Buffer) => seen.push(`a:${chunk.toString()}`));
    stream.prependListener('data', (chunk: Buffer) => seen.push(`b:${chunk.toString()}`));
    stream.write('one');
    stream.write('two');
    expect(seen).toEqual(['b:one', 'a:one', 'b:two', 'a:two']);
  });

  it('keeps a refused chunk from every listener and destroys the stream with the guard’s error', async () => {
    const { stream, failed } = guarded();
    const seen: string[] = [];
    stream.prependListener('data', (chunk: Buffer) => seen.push(chunk.toString()));
    stream.resume(); // as ioredis does: a prepended listener does not start the flow
    stream.write('fine');
    stream.write('!bad');
    expect((await failed).message).toBe('refused: a bang');
    expect(seen).toEqual(['fine']);
    expect(stream.destroyed).toBe(true);
  });

  it('turns an exception a listener throws (a parser that overflows its stack) into a connection error', async () => {
    const { stream, rules, failed } = guarded();
    const overflow = (): never => overflow();
    stream.on('data', () => overflow());
    expect(() => stream.write('deep')).not.toThrow();
    expect((await failed).message).toBe('refused: something unreadable');
    expect(rules.errors[0].cause).toBeInstanceOf(RangeError);
  });

  it('leaves every other event alone', () => {
    const { stream } = guarded();
    const events: unknown[] = [];
    stream.on('custom', (value) => events.push(value));
    stream.emit('custom', '!not data');
    expect(events).toEqual(['!not data']);
  });
});
