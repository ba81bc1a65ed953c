/**
 * The attacker of the connection-budget test, run as a child process so its thousands of descriptors count against
 * its own file limit, not the test runner's. Run: `node socket-flood.child.mts <port> <count> <idle|slowloris>`.
 *
 * - `idle`: opens `count` sockets that never send a byte and holds each until the server closes it.
 * - `slowloris`: keeps `count` sockets that trickle one header line a second and never finish their request,
 *   opening a new one whenever the server cuts one (as the real attack does).
 *
 * Prints `{"event":"opened",...}` once every socket was attempted and, on SIGTERM or when nothing is left open but
 * lost handshakes, `{"event":"done",...}` with how many the server accepted, how many it refused, how many are still
 * open and how many of those are lost, and the longest a socket stayed open, then exits. Exits by itself after 40 s
 * whatever happens, so nothing outlives a failed test.
 *
 * A lost handshake: when the listener's queues are full the kernel answers a SYN with a SYN cookie and keeps no
 * state, and if the accept queue is still full when the client's ACK comes, it drops the ACK. The client counts the
 * socket as connected; the server never had it, so it cannot close it, and an idle socket never sends the byte that
 * would tell (a request would retry and get through). Such a socket has no server end in `/proc/net/tcp`: that is
 * how it is told from one the server holds.
 */
import { readFileSync } from 'node:fs';
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

/** The client ports of every connection the kernel holds a server end of on `port` (any state but LISTEN). */
function serverEnds(): Set<number> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // "sl local_address rem_address st ...", addresses as HEXIP:HEXPORT.
      const [, local, remote, state] = line.trim().split(/\s+/);
      if (!remote || state === '0A' || parseInt(local.split(':')[1], 16) !== port) continue;
      ports.add(parseInt(remote.split(':')[1], 16));
    }
  }
  return ports;
}

/** Of the sockets still open, those the server has no end of: lost handshakes (see above). */
function lostHandshakes(): number {
  if (!sockets.size) return 0;
  const held = serverEnds();
  let lost = 0;
  for (const socket of sockets) {
    if (!socket.connecting && socket.localPort !== undefined && !held.has(socket.localPort)) lost++;
  }
  return lost;
}

function report(event: string, lost = 0): void {
  const summary = { event, accepted, failed, open, lost, longestMs: Math.round(longestMs) };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

/** Ends the attack and reports; `lost` when the caller has just counted them. */
function finish(lost = lostHandshakes()): void {
  if (stopping) return;
  stopping = true;
  for (const socket of sockets) socket.destroy();
  report('done', lost);
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
  // Idle sockets the server closes end the attacker (above); lost handshakes it cannot close, so once only those
  // are left, the attacker ends too. Looked at once a second, when few are left (the table is read whole).
  if (!slowloris) {
    setInterval(() => {
      if (open === 0 || open > 2000) return;
      const lost = lostHandshakes();
      if (lost === open) finish(lost);
    }, 1000).unref();
  }
}

process.on('SIGTERM', () => finish());
setTimeout(() => finish(), 40_000).unref();
void main();
