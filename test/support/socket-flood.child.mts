/**
 * The attacker of the connection-budget test, run as a child process so its thousands of descriptors count against
 * its own file limit, not the test runner's. Run: `node socket-flood.child.mts <port> <count> <idle|slowloris>`.
 *
 * - `idle`: opens `count` sockets that never send a byte and holds each until the server closes it.
 * - `slowloris`: keeps `count` sockets that trickle one header line a second and never finish their request,
 *   opening a new one whenever the server cuts one (as the real attack does).
 *
 * Prints `{"event":"opened",...}` once every socket was attempted and, on SIGTERM or when nothing is left open,
 * `{"event":"done",...}` with how many the server accepted, how many it refused and the longest a socket stayed
 * open, then exits. Exits by itself after 40 s whatever happens, so nothing outlives a failed test.
 */
import { connect, type Socket } from 'node:net';

const [portText, countText, mode] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const slowloris = mode === 'slowloris';

let accepted = 0;
let failed = 0;
let open = 0;
let longestMs = 0;
let opened = false;
let stopping = false;
const sockets = new Set<Socket>();

function report(event: string): void {
  process.stdout.write(`${JSON.stringify({ event, accepted, failed, open, longestMs: Math.round(longestMs) })}\n`);
}

function finish(): void {
  if (stopping) return;
  stopping = true;
  for (const socket of sockets) socket.destroy();
  report('done');
  process.exit(0);
}

function openOne(): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let connectedAt = 0;
    let trickle: NodeJS.Timeout | undefined;
    sockets.add(socket);
    // Read (and drop) what the server sends, such as its 408: a socket nobody reads never sees the server's close.
    socket.resume();
    socket.on('connect', () => {
      connectedAt = performance.now();
      accepted++;
      open++;
      resolve();
      if (slowloris) {
        socket.write('GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\n');
        trickle = setInterval(() => socket.write(`X-${Math.random().toString(36).slice(2, 8)}: a\r\n`), 1000);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      clearInterval(trickle);
      if (!connectedAt) {
        failed++;
        resolve();
        return;
      }
      open--;
      longestMs = Math.max(longestMs, performance.now() - connectedAt);
      if (stopping) return;
      // A short pause before the next one, so a server refusing at once does not turn the attacker into a busy loop
      // that starves everything else on a small machine.
      if (slowloris) setTimeout(() => void openOne(), 50);
      else if (opened && open === 0) finish();
    });
  });
}

async function main(): Promise<void> {
  // In batches, as fast as the loop allows, without one promise per socket all at once.
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, count - i) }, () => openOne()));
  }
  opened = true;
  report('opened');
  if (!slowloris && open === 0) finish();
}

process.on('SIGTERM', finish);
setTimeout(finish, 40_000).unref();
void main();
