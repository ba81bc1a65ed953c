import { ConsoleLogger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, listenApp } from '../../src/app.factory';
import { parseAppConfig } from '../../src/app.composition';
import type { CheckRegistration } from '../../src/health';
import { HTTP_SETTINGS } from '../../src/http/http.settings';
import { RUNNABLE_PLUGINS_DIR } from './plugin-fixtures';
import { waitFor } from './wait';

/** One captured log call: its text prefixed by the context, and the fields of a structured call. */
export interface CapturedLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

function capture(level: string, message: unknown, context?: string): CapturedLine {
  if (typeof message === 'object' && message !== null && 'message' in message) {
    const { message: text, ...fields } = message;
    return { level, message: `${context ?? ''} ${String(text)}`, fields };
  }
  return { level, message: `${context ?? ''} ${String(message)}`, fields: {} };
}

/** Log lines an app under test wrote, by level, so tests can assert what was (and was not) logged. */
export class CapturingLogger extends ConsoleLogger {
  readonly lines: CapturedLine[] = [];

  override log(message: unknown, context?: string): void {
    this.lines.push(capture('log', message, context));
  }
  override warn(message: unknown, context?: string): void {
    this.lines.push(capture('warn', message, context));
  }
  override error(message: unknown, context?: string): void {
    this.lines.push(capture('error', message, context));
  }
  override debug(): void {}
  override verbose(): void {}

  /** Lines of `level` whose text contains `text`. */
  find(level: string, text: string): string[] {
    return this.lines.filter((l) => l.level === level && l.message.includes(text)).map((l) => l.message);
  }
}

/** A running instance of the real application on a free loopback port. */
export interface RunningApp {
  readonly app: NestFastifyApplication;
  readonly url: string;
  /** The management listener's base URL when `MANAGEMENT_PORT` is set. */
  readonly managementUrl?: string;
  readonly logger: CapturingLogger;
  /** GET `path` (relative to `/api/v1`), with the elapsed time. */
  get(path?: string, headers?: Record<string, string>): Promise<Probe>;
  /** Polls `/health` until its `status` is `status` (15 s at most) and returns that answer. */
  until(status: string, timeoutMs?: number): Promise<Probe>;
  close(): Promise<void>;
}

/** One answer of the service. */
export interface Probe {
  status: number;
  headers: Headers;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  ms: number;
}

/**
 * Starts the same app `main.ts` starts, configured by `env` (the machine's PATH is added so plugin binaries are
 * found as in production; PLUGINS_DIR defaults to a plugin every machine can run) and optionally with other checks,
 * listening on 127.0.0.1 at a free port.
 */
export async function startApp(
  env: Record<string, string> = {},
  options: { readonly checks?: readonly CheckRegistration[] } = {},
): Promise<RunningApp> {
  const logger = new CapturingLogger();
  // A history file of its own, removed on close: apps under test never share one, nor write into the repository.
  const dataDir = env.HEALTH_DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), 'secuscan-health-data-')) : undefined;
  const config = parseAppConfig(
    {
      PATH: process.env.PATH,
      PLUGINS_DIR: RUNNABLE_PLUGINS_DIR,
      ...(dataDir ? { HEALTH_DATA_DIR: dataDir } : {}),
      ...env,
    },
    options,
  );
  const { managementHost, managementPort } = config.get(HTTP_SETTINGS);
  const app = await createApp(config, { logger });
  await listenApp(app, 0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (!address || typeof address === 'string') throw new Error('app did not listen on a TCP port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    managementUrl: managementPort === undefined ? undefined : `http://${managementHost}:${managementPort}`,
    logger,
    get: (path = '/health', headers = {}) => probe(`${url}/api/v1${path}`, headers),
    until: (status, timeoutMs) => untilStatus(() => probe(`${url}/api/v1/health`), status, timeoutMs),
    close: async () => {
      await app.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `get` until the report's `status` is `status`, and returns that answer. */
export function untilStatus(get: () => Promise<Probe>, status: string, timeoutMs = 15_000): Promise<Probe> {
  return waitFor(
    async () => {
      const answer = await get().catch(() => undefined);
      return answer?.body.status === status && answer;
    },
    { what: `a report with status ${status}`, timeoutMs },
  );
}

/** GETs `url` and reads its JSON body, timing the whole exchange. */
export async function probe(url: string, headers: Record<string, string> = {}): Promise<Probe> {
  const start = performance.now();
  const response = await fetch(url, { headers });
  const text = await response.text();
  const ms = performance.now() - start;
  let body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- arbitrary JSON answers
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body, ms };
}
