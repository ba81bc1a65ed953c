import type { Socket } from 'node:net';
import { boundedGet, type BoundedAnswer } from './support/bounded-get';
import { ChildApp } from './support/child-app';
import { SHARED_POSTGRES, SHARED_REDIS } from './support/dependencies';
import { HostilePeer } from './support/hostile-peer';
import { pgReply, respReply } from './support/reply-fuzz';
import { SeededRandom } from './support/seeded-random';
import {
  pgAnswer,
  PG_LOGIN,
  readPgMessages,
  readRedisCommands,
  redisAnswer,
  type PgFrontend,
} from './support/wire-fakes';

/** The seed of this run; `FUZZ_SEED=<seed>` replays one. */
const SEED = SeededRandom.seedFrom(process.env);
/** How long each protocol is fuzzed: the bound of the issue is 10 s a protocol, start-up included. */
const FUZZ_MS = 7_000;
/** Fewer replies than this would mean the fuzz hardly reached the driver (about 100 a protocol on a loaded CI machine). */
const MIN_REPLIES = 40;

/** A connection's fuzzing server: it answers each message the service's driver sends, hostilely or not. */
type Serve = (socket: Socket, random: SeededRandom, sent: (bytes: Buffer) => void) => void;

/** Writes `bytes` in one to three pieces, a turn of the event loop apart, so frames arrive split at any byte. */
function writeSplit(socket: Socket, bytes: Buffer, random: SeededRandom): void {
  const cuts = [0, ...Array.from({ length: random.int(0, 2) }, () => random.int(0, bytes.length)), bytes.length];
  cuts.sort((a, b) => a - b);
  cuts.slice(1).forEach((end, i) => {
    setTimeout(() => socket.destroyed || socket.write(bytes.subarray(cuts[i], end)), i).unref();
  });
  if (random.chance(0.05)) setTimeout(() => socket.end(), cuts.length).unref();
}

/**
 * Redis: most connections get an honest handshake, so PING is reached and the client's reconnect delay (which grows
 * with each connection that never gets ready) stays short; then every reply may be hostile.
 */
const fuzzRedis: Serve = (socket, random, sent) => {
  const honest = random.chance(0.85);
  readRedisCommands(socket, (command) => {
    const good = Buffer.from(redisAnswer(command));
    const hostile = command[0] === 'ping' || !honest;
    const reply = hostile && !random.chance(0.15) ? respReply(random) : good;
    sent(reply);
    writeSplit(socket, reply, random);
  });
};

/** What the fuzzing PostgreSQL answers to `message`: honestly sometimes, else something drawn from the answer. */
function pgFuzzAnswer(message: PgFrontend, honestLogin: boolean, random: SeededRandom): Buffer | undefined {
  switch (message.kind) {
    case 'ssl-request':
      return random.chance(0.7) ? Buffer.from('N') : pgReply(random, Buffer.from('N'));
    case 'startup':
      return honestLogin ? PG_LOGIN : pgReply(random, PG_LOGIN);
    case 'query': {
      const good = pgAnswer(message.text);
      return random.chance(0.3) ? good : pgReply(random, good);
    }
    case 'other':
      return undefined; // Terminate and the like
  }
}

/** PostgreSQL: half the connections log in honestly (so TypeORM's queries and SELECT 1 are reached), then fuzz. */
const fuzzPostgres: Serve = (socket, random, sent) => {
  const honestLogin = random.chance(0.5);
  readPgMessages(socket, (message) => {
    const reply = pgFuzzAnswer(message, honestLogin, random);
    if (!reply) return;
    sent(reply);
    writeSplit(socket, reply, random);
  });
};

/** Why `answer` is not a well-formed report, or `undefined` when it is one. */
function malformed(answer: BoundedAnswer): string | undefined {
  const report = answer.json as Record<string, unknown> | undefined;
  if (typeof report !== 'object' || report === null) return 'the body is not JSON';
  const status = report.status;
  if (!['healthy', 'degraded', 'unhealthy'].includes(status as string)) return `status ${String(status)}`;
  if (answer.status !== (status === 'unhealthy' ? 503 : 200)) return `HTTP ${answer.status} for ${String(status)}`;
  if (typeof report.version !== 'string' || typeof report.uptime_seconds !== 'number') return 'version or uptime';
  const checks = report.checks as Record<string, Record<string, unknown>> | undefined;
  for (const key of ['database', 'cache', 'plugins']) {
    const check = checks?.[key];
    if (!check) return `no ${key} check`;
    const latency = check.latency_ms;
    if (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0)
      return `${key} latency ${JSON.stringify(latency)}`;
    const { detail } = check;
    if (check.status === 'ok' && detail === null) continue;
    if (check.status !== 'error') return `${key} status ${String(check.status)}`;
    if (typeof detail !== 'string' || detail === '' || detail.length > 200 || /[\r\n]/.test(detail)) {
      return `${key} detail ${JSON.stringify(detail)}`;
    }
  }
  return undefined;
}

/**
 * A crash-only fuzz of what the drivers read: a server answering the built service's Redis or PostgreSQL
 * connections with random bytes, random well-formed and almost well-formed frames, mutations of real answers,
 * absurd sizes and deeply nested arrays, split at random bytes. It asserts only that the process stays alive, keeps
 * answering liveness, and that every report is well-formed. A failure prints the seed (replay it with
 * `FUZZ_SEED=<seed>`) and the last replies sent, in hex.
 */
describe('fuzzing the replies of Redis and PostgreSQL', () => {
  let peer: HostilePeer | undefined;
  let service: ChildApp | undefined;

  afterEach(async () => {
    await service?.stop();
    await peer?.close();
    service = peer = undefined;
  });

  /** Starts the service against a fuzzing server for `variable`, then probes it for {@link FUZZ_MS}. */
  async function fuzz(real: { host: string; port: number }, variable: string, scheme: string, serve: Serve) {
    const random = new SeededRandom(SEED + (scheme === 'redis' ? 0 : 1));
    const recent: string[] = [];
    let replies = 0;
    peer = await HostilePeer.start(real);
    peer.act({
      kind: 'fake',
      serve: (socket) => {
        const connection = peer?.connections;
        serve(socket, random, (bytes) => {
          replies++;
          recent.push(`#${connection} ${bytes.subarray(0, 96).toString('hex')}${bytes.length > 96 ? '…' : ''}`);
          recent.splice(0, recent.length - 8);
        });
      },
    });
    const url = `${scheme}://${scheme === 'postgres' ? 'postgres@' : ''}127.0.0.1:${peer.port}`;
    try {
      service = await ChildApp.start({
        [variable]: scheme === 'postgres' ? `${url}/postgres` : url,
        HEALTH_CACHE_TTL_MS: '0',
        HEALTH_DB_TIMEOUT_MS: '500',
        HEALTH_CACHE_TIMEOUT_MS: '300',
      });
      const base = `http://127.0.0.1:${service.port}/api/v1/health`;
      for (const deadline = Date.now() + FUZZ_MS; Date.now() < deadline;) {
        const problem = malformed(await boundedGet(base));
        if (problem) throw new Error(`a malformed report: ${problem}`);
        const live = await boundedGet(`${base}/live`);
        if (live.status !== 200) throw new Error(`liveness answered ${live.status}`);
      }
      if (!service.running) throw new Error('the process ended');
      if (replies < MIN_REPLIES) throw new Error(`only ${replies} replies were sent`);
    } catch (error) {
      const why = service && !service.running ? 'the process ended' : (error as Error).message;
      throw new Error(
        `${why}\nreplay with FUZZ_SEED=${SEED}; the last replies sent (hex):\n${recent.join('\n')}\n` +
          `the service's last output: ${service?.logs.slice(-1500)}`,
        { cause: error },
      );
    }
  }

  it('Redis: the process lives, answers liveness and reports well-formed', () =>
    fuzz(SHARED_REDIS, 'REDIS_URL', 'redis', fuzzRedis));

  it('PostgreSQL: the process lives, answers liveness and reports well-formed', () =>
    fuzz(SHARED_POSTGRES, 'DATABASE_URL', 'postgres', fuzzPostgres));
});
