import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { get } from 'node:http';
import { ChildApp } from './support/child-app';
import { freePort } from './support/ports';
import { SocketFlood } from './support/socket-flood';
import { waitFor } from './support/wait';

/** Status and time of one GET on a fresh connection, as a kubelet probe makes it; never throws. */
function timedGet(url: string, timeoutMs = 2000): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const request = get(url, { agent: false, timeout: timeoutMs }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - start }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ status: 0, ms: performance.now() - start }));
  });
}

/** Descriptors the process holds now. */
function openFiles(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0;
  }
}

/**
 * A bare Node HTTP server in a process of its own, probed right beside the service: on a shared machine the scheduler
 * alone can hold any process for a few hundred milliseconds, and this shows how much of a slow answer was that.
 */
async function startControlServer(): Promise<{ child: ChildProcess; url: string }> {
  const code =
    "require('http').createServer((q, r) => r.end('ok'))" +
    ".listen(0, '127.0.0.1', function () { console.log(this.address().port) })";
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, url: `http://127.0.0.1:${chunk.toString().trim()}/` };
}

const IDLE_SOCKETS = 20_000;
const SLOWLORIS_SOCKETS = 200;

/**
 * The attack of an anonymous client with a few lines of code: 20 000 idle sockets (from two processes, each within
 * its own file limit) and a slowloris that trickles headers and reconnects when cut, against the main port of the
 * built service. Probes on the management port must not notice; the server must close every attacking socket within
 * 10 s, never run out of descriptors, and serve on the main port again soon after the attack stops.
 */
describe('connection budget under a socket flood', () => {
  let service: ChildApp | undefined;
  let control: ChildProcess | undefined;
  const floods: SocketFlood[] = [];

  afterEach(async () => {
    await Promise.all(floods.map((flood) => flood.kill()));
    await service?.stop();
    control?.kill();
  });

  it('keeps management liveness under 100 ms and the main port recovers within 15 s', async () => {
    const managementPort = await freePort();
    service = await ChildApp.start({ MANAGEMENT_PORT: String(managementPort), HEALTH_SHUTDOWN_DELAY_MS: '0' });
    // The flood meets a started service: its first evaluation, which loads the database driver once (a one-off
    // pause of the event loop that start-up no longer makes before listening), is over when readiness answers 200.
    const app = service;
    await waitFor(async () => (await app.get('/health/ready').catch(() => undefined))?.status === 200, {
      what: 'the first evaluation to finish',
      timeoutMs: 15_000,
    });
    const live = `http://127.0.0.1:${managementPort}/api/v1/health/live`;
    const bare = await startControlServer();
    control = bare.child;
    const fileLimit = Number(/^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${service.pid}/limits`, 'utf8'))?.[1]);

    const started = performance.now();
    const idle = [
      SocketFlood.start(service.port, IDLE_SOCKETS / 2, 'idle'),
      SocketFlood.start(service.port, IDLE_SOCKETS / 2, 'idle'),
    ];
    const slowloris = SocketFlood.start(service.port, SLOWLORIS_SOCKETS, 'slowloris');
    floods.push(...idle, slowloris);

    // Probe the management port throughout: until the idle sockets are all gone, and at least 5.6 s of slowloris (past
    // the 5 s headers timeout, so its sockets are seen cut and coming back).
    const probes: Array<{ status: number; ms: number }> = [];
    const controls: number[] = [];
    let maxFiles = 0;
    let idleDone = false;
    const idleSummaries = Promise.all(idle.map((flood) => flood.done)).finally(() => (idleDone = true));
    while (!idleDone || performance.now() - started < 5_600) {
      // The bare server is asked at the same moment, so it shares whatever the machine made both wait.
      const [probe, control] = await Promise.all([timedGet(live), timedGet(bare.url)]);
      probes.push(probe);
      controls.push(control.ms);
      maxFiles = Math.max(maxFiles, openFiles(service.pid));
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (performance.now() - started > 30_000) break;
    }
    const idleResults = await idleSummaries;
    const slowlorisResult = await slowloris.stop();
    const stoppedAt = performance.now();

    const main = `http://127.0.0.1:${service.port}/api/v1/health/live`;
    await waitFor(async () => (await timedGet(main)).status === 200, {
      what: 'the main port to serve',
      timeoutMs: 15_000,
    });
    const recoveryMs = performance.now() - stoppedAt;

    const sorted = probes.map((p) => p.ms).sort((a, b) => a - b);
    const slowest = sorted[sorted.length - 1];
    const p99 = sorted[Math.floor(sorted.length * 0.99)];
    const controlSlowest = Math.max(...controls);
    console.log(
      `flood: ${idleResults.map((r) => `${r.accepted} accepted/${r.failed} refused/${r.lost} lost by the kernel, longest ${r.longestMs} ms`).join('; ')}; ` +
        `slowloris ${slowlorisResult.accepted} sockets, longest ${slowlorisResult.longestMs} ms; ` +
        `management liveness ${probes.length} probes, median ${sorted[sorted.length >> 1].toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms, slowest ${slowest.toFixed(1)} ms, ` +
        `${probes.filter((p) => p.ms > 50).length} over 50 ms (bare server beside it: slowest ${controlSlowest.toFixed(1)} ms); ` +
        `server fds max ${maxFiles} of ${fileLimit}; main port back ${recoveryMs.toFixed(0)} ms after the attack`,
    );
    expect(probes.length).toBeGreaterThan(50);
    expect(probes.filter((p) => p.status !== 200)).toEqual([]);
    // 100 ms for every answer, plus whatever the machine made the bare server asked at the same moment wait (0 to a
    // few ms on an idle machine; hundreds when other jobs load every core or the host stalls the VM).
    const late = probes.flatMap((p, i) => (p.ms < 100 + controls[i] ? [] : [{ ms: p.ms, bare: controls[i] }]));
    expect(late).toEqual([]);
    expect(sorted[sorted.length >> 1]).toBeLessThan(20);
    for (const result of idleResults) {
      expect(result.accepted + result.failed).toBe(IDLE_SOCKETS / 2);
      // Every socket the server had is closed. A socket still open on the attacker's side with no server end is a
      // handshake the kernel completed by SYN cookie and then dropped on a full accept queue (CI once: 291, exactly
      // the cookies the kernel counted): the server never saw it, and the flood's longest counts only closed ones.
      expect(result.open - result.lost).toBe(0);
      expect(result.longestMs).toBeLessThan(10_000);
    }
    expect(slowlorisResult.accepted).toBeGreaterThan(SLOWLORIS_SOCKETS);
    expect(slowlorisResult.longestMs).toBeLessThan(10_000);
    expect(maxFiles).toBeLessThan(fileLimit);
    expect(recoveryMs).toBeLessThan(15_000);
    expect(service.logs).not.toMatch(/EMFILE|ENFILE/);
    expect((await timedGet(live)).status).toBe(200);
  });
});
