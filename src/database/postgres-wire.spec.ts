import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Client } from 'pg';
import { PostgresProtocolError, PostgresWire, protocolViolation } from './postgres-wire';

/** What the wire relies on of pg's Client: a connection with a stream, `ssl`, and `error` events. */
class FakeClient extends EventEmitter {
  readonly connection = Object.assign(new EventEmitter(), { stream: new PassThrough() });
  readonly ssl: boolean;
  constructor(config?: { ssl?: boolean }) {
    super();
    this.ssl = config?.ssl ?? false;
  }
}

function guardedClient(wire: PostgresWire, config?: { ssl?: boolean }): FakeClient {
  const Guarded = wire.clientClass(FakeClient as unknown as typeof Client);
  return new Guarded(config) as unknown as FakeClient;
}

/** Resolves with the error the stream is destroyed with. */
const failureOf = (stream: PassThrough) => new Promise<Error>((resolve) => stream.once('error', resolve));

describe('PostgresWire', () => {
  it('gives every client an error listener, so an error outside a query does not end the process', () => {
    const client = guardedClient(new PostgresWire());
    expect(() => client.emit('error', new Error('Connection terminated unexpectedly'))).not.toThrow();
  });

  it('reads a plain connection’s messages before pg and ends it on one PostgreSQL never sends', async () => {
    const client = guardedClient(new PostgresWire());
    const { stream } = client.connection;
    const parsed: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => parsed.push(chunk));
    const failed = failureOf(stream);
    stream.write(Buffer.from([0x51, 0, 0, 0, 4]));
    const error = await failed;
    expect(error).toBeInstanceOf(PostgresProtocolError);
    expect(error.message).toBe("the server broke the PostgreSQL protocol: it sent an unknown message type 'Q'");
    expect(parsed).toEqual([]);
  });

  it('with TLS, leaves the unframed answer to SSLRequest alone and reads the TLS stream from sslconnect on', async () => {
    const client = guardedClient(new PostgresWire(), { ssl: true });
    const raw = client.connection.stream;
    const seen: string[] = [];
    raw.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    raw.write('S');
    expect(seen).toEqual(['S']);
    const tls = new PassThrough();
    tls.resume();
    Object.assign(client.connection, { stream: tls });
    client.connection.emit('sslconnect');
    const failed = failureOf(tls);
    tls.write(Buffer.from([0x51, 0, 0, 0, 4]));
    expect((await failed).message).toBe(
      "the server broke the PostgreSQL protocol: it sent an unknown message type 'Q'",
    );
  });

  it('turns a throw in pg’s parser into the connection’s error', async () => {
    const client = guardedClient(new PostgresWire());
    const { stream } = client.connection;
    stream.on('data', () => {
      throw new RangeError('The value of "offset" is out of range.');
    });
    const failed = failureOf(stream);
    stream.write(Buffer.from([0x5a, 0, 0, 0, 5, 0x49]));
    expect((await failed).message).toBe(
      'the server broke the PostgreSQL protocol: it sent a message the client could not read',
    );
  });

  it('remembers a violation a client heard, to explain a later failure pg words otherwise', () => {
    const wire = new PostgresWire();
    const client = guardedClient(wire);
    const mark = wire.mark();
    const notQueryable = new Error('Client has encountered a connection error and is not queryable');
    expect(wire.violationSince(mark, notQueryable)).toBeUndefined();
    client.emit('error', new Error('Received unexpected dataRow message from backend.'));
    expect(wire.violationSince(mark, notQueryable)).toBe('it sent a message out of turn');
    const later = wire.mark();
    expect(wire.violationSince(later, notQueryable)).toBeUndefined();
    client.emit('error', new Error('Connection terminated unexpectedly'));
    expect(wire.violationSince(later, notQueryable)).toBeUndefined();
  });
});

describe('protocolViolation', () => {
  it('knows pg’s words for a broken protocol and nothing else', () => {
    expect(protocolViolation(new Error('received invalid response: 51'))).toBe('it sent an unknown message type');
    expect(protocolViolation(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBeUndefined();
    expect(protocolViolation('received invalid response: 51')).toBeUndefined();
  });
});
