import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './ports';
import { waitFor } from './wait';

const PG_ROOT = '/usr/lib/postgresql';
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));

/** Newest installed server's bin dir; globbed because the version directory differs between machines. */
function binDir(): string {
  const versions = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT).filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`PrivatePostgres: no PostgreSQL server binaries under ${PG_ROOT}/*/bin`);
  return join(PG_ROOT, newest, 'bin');
}

/** uid/gid of the `postgres` OS user, which runs the servers when the tests run as root. */
function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line)
    throw new Error('PrivatePostgres: running as root, and there is no OS user "postgres" to run the server as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * initdb and postgres refuse to run as root, and run as any other user on a folder it owns. So as root the servers run
 * as the `postgres` OS user (the temp dir is handed to it); as anyone else, as that user, who needs no privilege.
 */
const AS_ROOT = process.getuid?.() === 0;

/** Runs a PostgreSQL binary (as `postgres` when root: runuser, else su), rejecting with its output on failure. */
function runServerBinary(cmd: string, args: string[], cwd: string): Promise<string> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const [file, argv] = !AS_ROOT
    ? [cmd, args]
    : RUNUSER
      ? [RUNUSER, ['-u', 'postgres', '--', cmd, ...args]]
      : ['su', ['postgres', '-s', '/bin/sh', '-c', [cmd, ...args].map(quote).join(' ')]];
  return new Promise((resolve, reject) => {
    // cwd: the postgres user may not be allowed into the repo directory.
    execFile(file, argv, { cwd, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stdout}${stderr}`)) : resolve(stdout),
    );
  });
}

/** True while `pid` is a live process; a zombie (exited, not yet reaped by init) counts as gone. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * A throwaway PostgreSQL server owned by one test suite, so tests can stop and restart a database without touching
 * the machine's shared server on 5432. Data lives in a fresh temp dir; trust auth; 127.0.0.1 only; fsync off.
 * Always call `destroy()` (e.g. in afterAll): the server runs detached from the test process.
 */
export class PrivatePostgres {
  private running = false;
  private destroyed = false;

  private constructor(
    /** TCP port on 127.0.0.1, the same across stop/start. */
    readonly port: number,
    /** Temp dir holding the data dir (`data/`), the log and the unix socket; removed by `destroy()`. */
    readonly dir: string,
    readonly bin: string,
  ) {}

  /** A fresh temp dir for a server, owned by the user that runs it, and the server on a free port. */
  private static async prepare(): Promise<PrivatePostgres> {
    const [bin, port] = [binDir(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'private-pg-'));
    const pg = new PrivatePostgres(port, dir, bin);
    if (AS_ROOT) {
      const { uid, gid } = postgresUser();
      chownSync(dir, uid, gid);
    }
    return pg;
  }

  /**
   * Creates the cluster (initdb), starts it and resolves once it answers `SELECT 1`. Its defaults make it a primary
   * that standbys can stream from (`wal_level = replica`, WAL senders, `hot_standby`); trust auth covers replication
   * connections from 127.0.0.1 too.
   */
  static async create(): Promise<PrivatePostgres> {
    const pg = await PrivatePostgres.prepare();
    const { bin, dir } = pg;
    try {
      await runServerBinary(
        join(bin, 'initdb'),
        ['-D', pg.dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-locale', '-E', 'UTF8'],
        dir,
      );
      // Settings go into postgresql.conf so that a later start() reuses them unchanged.
      appendFileSync(
        join(pg.dataDir, 'postgresql.conf'),
        [
          `listen_addresses = '127.0.0.1'`,
          `port = ${pg.port}`,
          `unix_socket_directories = '${dir}'`,
          'fsync = off',
          'synchronous_commit = off',
          'full_page_writes = off',
          '',
        ].join('\n'),
      );
      await pg.start();
      return pg;
    } catch (err) {
      await pg.destroy().catch(() => undefined); // keep the original error, it says what went wrong
      throw err;
    }
  }

  /**
   * A hot standby of `primary`, streaming from it: a base backup (`pg_basebackup -R`, which writes
   * `primary_conninfo` and `standby.signal`), given a port of its own, started, and resolved once it answers.
   */
  static async standbyOf(primary: PrivatePostgres): Promise<PrivatePostgres> {
    const pg = await PrivatePostgres.prepare();
    try {
      await runServerBinary(
        join(pg.bin, 'pg_basebackup'),
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(primary.port),
          '-U',
          'postgres',
          '-D',
          pg.dataDir,
          '-R',
          '-X',
          'stream',
          '--no-sync',
        ],
        pg.dir,
      );
      // The copy has the primary's settings (and the pid file it never had: only the data dir): a later line wins.
      appendFileSync(
        join(pg.dataDir, 'postgresql.conf'),
        [`port = ${pg.port}`, `unix_socket_directories = '${pg.dir}'`, 'hot_standby = on', ''].join('\n'),
      );
      await pg.start();
      return pg;
    } catch (err) {
      await pg.destroy().catch(() => undefined);
      throw err;
    }
  }

  /** Promotes a standby to a primary (`pg_ctl promote`) and waits until it takes writes. */
  async promote(): Promise<void> {
    await runServerBinary(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-w', '-t', '30', '-s', 'promote'], this.dir);
  }

  /** Runs `sql` as the superuser on a connection of its own and answers the rows. */
  async query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string): Promise<R[]> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** `127.0.0.1:<port>`, as the service names a server in its reports. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connection URL for the superuser (trust auth, no password). */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Starts the server again (same port and data) and waits until it answers `SELECT 1`; no-op if running. */
  async start(): Promise<void> {
    if (this.destroyed) throw new Error('PrivatePostgres is destroyed');
    if (this.running) return;
    const log = join(this.dir, 'postgres.log');
    try {
      await runServerBinary(
        join(this.bin, 'pg_ctl'),
        ['-D', this.dataDir, '-l', log, '-w', '-t', '30', '-s', 'start'],
        this.dir,
      );
    } catch (err) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${(err as Error).message}\n--- postgres.log ---\n${tail}`, { cause: err });
    }
    this.running = true;
    await waitFor(() => this.answers(), { what: `PrivatePostgres on port ${this.port} to answer SELECT 1` });
  }

  /** Stops the server at once (`pg_ctl stop -m immediate`) and waits until the process is gone; no-op if stopped. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const pidFile = join(this.dataDir, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    await runServerBinary(
      join(this.bin, 'pg_ctl'),
      ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30', '-s', 'stop'],
      this.dir,
    );
    // pg_ctl returns once the pid file is gone, a moment before the postmaster has actually exited.
    if (pid > 0) await waitFor(() => !isProcessAlive(pid), { what: `postmaster ${pid} to exit` });
    this.running = false;
  }

  /** Stops the server if running and removes the temp dir; idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    // pg_ctl may have started the server even if waiting failed, so stop whenever a pid file exists.
    const pidFile = join(this.dataDir, 'postmaster.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
    if (pid > 0) this.running = true;
    try {
      await this.stop();
    } catch (err) {
      // Nothing may outlive the tests: a postmaster pg_ctl could not stop is killed, then the error is reported.
      if (pid > 0 && isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
      throw err;
    } finally {
      this.destroyed = true;
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async answers(): Promise<boolean> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
