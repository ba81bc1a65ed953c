import { connectionBudget } from '../src/http/connection-budget';
import { EventStreamService } from '../src/status/event-stream.service';
import { RunningApp, startApp } from './support/app';
import { ChildApp } from './support/child-app';
import { ProxiedDependencies, proxyDependencies } from './support/dependencies';
import { EventStreamClient } from './support/event-stream';
import { HttpConnection } from './support/http-connection';
import { freePort } from './support/ports';
import type { RawAnswer } from './support/raw-request';
import { waitFor } from './support/wait';

const REFUSAL = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'every shared connection is in use; this one serves only liveness and readiness',
};

/**
 * Each listener keeps seats that only liveness and readiness may use: event streams and keep-alive clients of the
 * status routes that take every shared connection must not leave a prober without one (issue 18: 300 streams on the
 * management port once closed liveness there with 0 bytes).
 */
describe('probe seats', () => {
  let deps: ProxiedDependencies;
  let service: RunningApp | undefined;
  let child: ChildApp | undefined;
  const streams: EventStreamClient[] = [];
  const connections: HttpConnection[] = [];

  beforeAll(async () => {
    deps = await proxyDependencies();
  });
  afterEach(async () => {
    streams.splice(0).forEach((stream) => stream.drop());
    connections.splice(0).forEach((connection) => connection.destroy());
    await service?.close();
    service = undefined;
    await child?.stop();
    child = undefined;
  });
  afterAll(async () => deps?.close());

  const connect = async (port: number) => {
    const connection = await HttpConnection.open(port);
    connections.push(connection);
    return connection;
  };
  /**
   * Opens streams on `port`, one after the other, until one is refused for want of a shared seat, and answers how many
   * were let in: every shared seat is then taken, whatever else (a client's pooled keep-alive socket) held some.
   */
  const takeEverySharedSeat = async (port: number, shared: number) => {
    for (let admitted = 0; admitted <= shared; admitted++) {
      const stream = await EventStreamClient.open(`http://127.0.0.1:${port}/api/v1/health/events`);
      streams.push(stream);
      if (stream.status === 200) continue;
      await stream.ended;
      expect([stream.status, JSON.parse(stream.body)]).toEqual([503, REFUSAL]);
      return admitted;
    }
    throw new Error(`${shared + 1} streams were let in, more than the ${shared} shared seats`);
  };
  /** One probe on a connection of its own, as a kubelet makes it. */
  const probeOnce = async (port: number, target: string) => (await connect(port)).ask('GET', target);
  const expectRefusedAndClosed = async (connection: HttpConnection, answer: RawAnswer) => {
    expect(answer).toMatchObject({ status: 503, headers: { connection: 'close', 'retry-after': '1' } });
    expect(JSON.parse(answer.body)).toEqual(REFUSAL);
    await connection.closed;
  };

  it('on the management port, streams on every shared seat and keep-alive clients on the rest leave probes a seat', async () => {
    const { connections: total, probeSeats } = connectionBudget().management;
    const shared = total - probeSeats;
    const port = await freePort();
    service = await startApp({ ...deps.env, MANAGEMENT_PORT: String(port), HEALTH_EVENTS_MAX: String(shared) });
    await service.until('healthy');
    // Nothing else connects to the management port: the streams take every shared seat.
    expect(await takeEverySharedSeat(port, shared)).toBe(shared);

    // Keep-alive clients of the status routes now land on the probe seats: each is refused and its seat freed.
    const others = await Promise.all(Array.from({ length: probeSeats }, () => connect(port)));
    const answers = await Promise.all(others.map((connection) => connection.ask('GET', '/api/v1/health/history')));
    await Promise.all(others.map((connection, i) => expectRefusedAndClosed(connection, answers[i])));

    expect((await probeOnce(port, '/api/v1/health/live')).status).toBe(200);
    expect((await probeOnce(port, '/api/v1/health/ready')).status).toBe(200);
    expect((await probeOnce(port, `http://127.0.0.1:${port}/api/v1/health/live`)).status).toBe(200);

    // A probe seat serves probes on a kept-alive connection too, request by request, until it asks for more.
    const prober = await connect(port);
    expect((await prober.ask('GET', '/api/v1/health/live')).status).toBe(200);
    expect((await prober.ask('HEAD', '/api/v1/health/ready')).status).toBe(200);
    await expectRefusedAndClosed(prober, await prober.ask('GET', '/api/v1/health/events'));

    // A stream that leaves gives its shared seat back.
    streams.shift()!.drop();
    const events = service.app.get(EventStreamService);
    await waitFor(() => events.activity.clients === shared - 1, { what: 'the dropped stream to be let go' });
    expect((await probeOnce(port, '/api/v1/health/history')).status).toBe(200);
  });

  it('the main listener keeps probe seats of its own (a service under an open-file limit of 400)', async () => {
    // 400 files: 108 connections on the main listener, 13 of them probe seats.
    const { connections: total, probeSeats } = connectionBudget(400).main;
    const shared = total - probeSeats;
    child = await ChildApp.spawn({ ...deps.env, HEALTH_EVENTS_MAX: String(shared) }, { fileLimit: 400 });
    const { port } = child;
    // Polled on connections the service closes after each answer (fetch would keep one open, holding a shared seat).
    await waitFor(async () => JSON.parse((await askOnce(port, '/api/v1/health'))?.body ?? '{}').status === 'healthy', {
      what: 'the child service to report healthy',
      timeoutMs: 15_000,
    });
    expect(await takeEverySharedSeat(port, shared)).toBe(shared);

    const others = await Promise.all(Array.from({ length: probeSeats }, () => connect(port)));
    const answers = await Promise.all(others.map((connection) => connection.ask('GET', '/api/v1/health')));
    await Promise.all(others.map((connection, i) => expectRefusedAndClosed(connection, answers[i])));

    expect((await probeOnce(port, '/api/v1/health/live')).status).toBe(200);
    expect((await probeOnce(port, '/api/v1/health/ready')).status).toBe(200);
  });
});

/** One request on a connection of its own that the service closes after answering; `undefined` when refused. */
async function askOnce(port: number, target: string): Promise<RawAnswer | undefined> {
  const connection = await HttpConnection.open(port).catch(() => undefined);
  if (!connection) return undefined;
  try {
    const answer = await connection.ask('GET', target, [['Connection', 'close']]);
    await connection.closed;
    return answer;
  } finally {
    connection.destroy();
  }
}
