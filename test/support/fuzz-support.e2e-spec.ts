import type { Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { pgReply, respReply } from './reply-fuzz';
import { SeededRandom } from './seeded-random';
import { PG_LOGIN, readPgMessages, readRedisCommands, type PgFrontend } from './wire-fakes';

/** Self-test of the fuzz helpers: a seed must replay, and the fake servers must read what the drivers send. */
describe('SeededRandom', () => {
  it('replays the same sequence, and so the same replies, from the same seed', () => {
    const draw = (seed: number) => {
      const random = new SeededRandom(seed);
      return [
        random.next(),
        random.int(1, 6),
        respReply(random).toString('hex'),
        pgReply(random, PG_LOGIN).toString('hex'),
      ];
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('takes FUZZ_SEED when given, refuses one that is not a whole number, and draws one otherwise', () => {
    expect(SeededRandom.seedFrom({ FUZZ_SEED: '1234' })).toBe(1234);
    expect(() => SeededRandom.seedFrom({ FUZZ_SEED: 'abc' })).toThrow('FUZZ_SEED must be a whole number');
    expect(Number.isInteger(SeededRandom.seedFrom({}))).toBe(true);
  });
});

describe('the fake servers’ readers', () => {
  it('read Redis commands split at any byte, as ioredis writes them', () => {
    const socket = new PassThrough();
    const commands: string[][] = [];
    readRedisCommands(socket as unknown as Socket, (command) => commands.push(command));
    const bytes = '*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$2\r\nab\r\n*1\r\n$4\r\nping\r\n';
    for (const byte of bytes) socket.write(byte);
    expect(commands).toEqual([['client', 'SETNAME', 'ab'], ['ping']]);
  });

  it('read PostgreSQL frontend messages: the SSLRequest, the startup message, then typed ones', () => {
    const socket = new PassThrough();
    const messages: PgFrontend[] = [];
    readPgMessages(socket as unknown as Socket, (message) => messages.push(message));
    const ssl = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
    const startup = Buffer.concat([Buffer.from([0, 0, 0, 9, 0, 3, 0, 0]), Buffer.from([0])]);
    const query = Buffer.concat([Buffer.from('Q'), Buffer.from([0, 0, 0, 13]), Buffer.from('SELECT 1\0')]);
    const terminate = Buffer.from([0x58, 0, 0, 0, 4]);
    socket.write(Buffer.concat([ssl, startup, query.subarray(0, 3)]));
    socket.write(Buffer.concat([query.subarray(3), terminate]));
    expect(messages).toEqual([
      { kind: 'ssl-request' },
      { kind: 'startup' },
      { kind: 'query', text: 'SELECT 1\0' },
      { kind: 'other', type: 'X' },
    ]);
  });
});
