import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { cli } from './support/cli';
import { freePort } from './support/ports';

const HEALTHCHECK = join(__dirname, '..', 'dist', 'cli', 'healthcheck.js');

/** Runs the built container healthcheck as Docker does, with only `env` configuring it. */
function healthcheck(env: Record<string, string>) {
  const start = performance.now();
  const child = spawn(process.execPath, [HEALTHCHECK], { env: { PATH: process.env.PATH, ...env }, timeout: 10_000 });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise<{ code: number | null; output: string; ms: number }>((done) =>
    child.on('close', (code) => done({ code, output, ms: performance.now() - start })),
  );
}

/**
 * The CLI and the container healthcheck against a real server that misbehaves on purpose: a redirect, a body that
 * never ends, a body that stalls, and URLs carrying credentials. Both must keep their deadline, read at most their
 * cap, follow nothing and print no secret.
 */
describe('the CLI and the healthcheck against a hostile server', () => {
  let server: Server;
  let base: string;
  let followed = 0;
  const open = new Set<ServerResponse>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      open.add(response);
      response.on('close', () => open.delete(response));
      // By the first segment: the CLI takes `${base}/redirect` as a service's base and asks its /api/v1/health.
      const path = `/${(request.url ?? '').split('?', 1)[0].split('/')[1]}`;
      if (path === '/redirect') {
        response.writeHead(302, { location: `${base}/followed` }).end();
      } else if (path === '/followed') {
        followed++;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy","checks":{}}');
      } else if (path === '/endless') {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = (): void => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once('drain', pump);
        };
        pump();
      } else if (path === '/stall') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"status":');
      } else {
        response.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const response of open) response.destroy();
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('follows no redirect', async () => {
    const run = await cli(['--url', `${base}/redirect`, '--timeout', '2000']);
    expect(run.code).toBe(2);
    const check = await healthcheck({ HEALTHCHECK_URL: `${base}/redirect` });
    expect(check.code).toBe(1);
    expect(followed).toBe(0);
  });

  it('stops reading an endless body at its cap, well within the deadline', async () => {
    const run = await cli(['--url', `${base}/endless`, '--timeout', '4000']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/more than 1048576 bytes/);
    expect(run.ms).toBeLessThan(4000);
    const check = await healthcheck({ HEALTHCHECK_URL: `${base}/endless`, HEALTHCHECK_TIMEOUT_MS: '4000' });
    expect(check.code).toBe(1);
    expect(check.ms).toBeLessThan(4000);
  });

  it('keeps one deadline over headers and body when the body stalls', async () => {
    const run = await cli(['--url', `${base}/stall`, '--timeout', '800']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/timed out|timeout/i);
    expect(run.ms).toBeLessThan(3000);
    const check = await healthcheck({ HEALTHCHECK_URL: `${base}/stall`, HEALTHCHECK_TIMEOUT_MS: '800' });
    expect(check.code).toBe(1);
    expect(check.ms).toBeLessThan(3000);
  });

  it('never prints the user, password or query of a URL', async () => {
    const closed = `http://admin:s3cret@127.0.0.1:${await freePort()}/api/v1/health?token=t0ken`;
    const redirect = `${base.replace('//', '//admin:s3cret@')}/redirect?token=t0ken`;
    for (const url of [closed, redirect]) {
      const run = await cli(['--url', url, '--timeout', '2000']);
      expect(run.code).toBe(2);
      expect(run.stdout + run.stderr).not.toMatch(/s3cret|t0ken|admin/);
      const check = await healthcheck({ HEALTHCHECK_URL: url });
      expect(check.code).toBe(1);
      expect(check.output).not.toMatch(/s3cret|t0ken|admin/);
    }
  });
});
