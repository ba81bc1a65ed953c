import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import { ChildApp } from './support/child-app';
import { waitFor } from './support/wait';

/** GET over `agent`; the status, or 0 when the connection failed (the server has stopped listening). */
function getStatus(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const request = get(url, { agent, timeout: 2000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

/** Whether a new TCP connection to 127.0.0.1:`port` is refused (the listener is closed). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

/**
 * Liveness is documented to stay 200 while the process drains and closes. Fastify's `return503OnClosing` (on by
 * default) would answer 503 to any request reaching it on an open keep-alive socket once closing has begun; these
 * tests send such requests to the built service across a real SIGTERM.
 */
describe('no 503 from liveness while closing', () => {
  let service: ChildApp | undefined;

  afterEach(async () => service?.stop());

  it('a keep-alive client polling liveness across the close sees only 200s, readiness 503 from the drain', async () => {
    service = await ChildApp.start({ HEALTH_SHUTDOWN_DELAY_MS: '600' });
    const live = `http://127.0.0.1:${service.port}/api/v1/health/live`;
    const ready = `http://127.0.0.1:${service.port}/api/v1/health/ready`;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let exited = false;
    void service.exited.then(() => (exited = true));
    try {
      expect(await getStatus(live, agent)).toBe(200);
      service.kill('SIGTERM');
      const statuses: number[] = [];
      const readiness: number[] = [];
      while (!exited) {
        statuses.push(await getStatus(live, agent));
        readiness.push(await getStatus(ready, new Agent({ keepAlive: false })));
      }
      const answered = statuses.filter((status) => status !== 0);
      expect(answered.length).toBeGreaterThan(3);
      expect(new Set(answered)).toEqual(new Set([200]));
      expect(readiness.filter((status) => status !== 0 && status !== 503)).toEqual([]);
      expect(await service.exited).toEqual({ code: 0, signal: null });
    } finally {
      agent.destroy();
    }
  });

  it('a request finished on an open socket after the listener closed still gets liveness 200', async () => {
    service = await ChildApp.start({ HEALTH_SHUTDOWN_DELAY_MS: '200' });
    const port = service.port;
    const socket = connect({ port, host: '127.0.0.1' });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await new Promise((resolve) => socket.once('connect', resolve));
    // Half a request: the socket is busy, so closing the server does not reap it as idle.
    socket.write('GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\n');
    service.kill('SIGTERM');
    await waitFor(() => refused(port), { what: 'the main listener to close', timeoutMs: 4000, intervalMs: 20 });
    socket.end('\r\n');
    await waitFor(() => answer.includes('\r\n\r\n') && answer, {
      what: 'an answer on the open socket',
      timeoutMs: 3000,
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('{"status":"ok"}');
    expect(await service.exited).toEqual({ code: 0, signal: null });
  });
});
