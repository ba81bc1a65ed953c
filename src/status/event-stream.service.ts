import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { HealthService } from '../health';
import type { ResetEventDto } from './dto/reset-event.dto';
import { HistoryService, RecordedEvaluation } from './history.service';
import { STATUS_SETTINGS, type StatusSettings } from './status.settings';

/** A comment line this often keeps proxies and load balancers from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;
/**
 * While anyone listens, the service evaluates by itself at least this often (the cache TTL), but never more often
 * than once a second: with `HEALTH_CACHE_TTL_MS=0` listeners would otherwise make it probe back to back.
 */
export const MIN_REFRESH_MS = 1_000;
/** How long a browser waits before reconnecting a dropped stream. */
const RETRY_MS = 2_000;
/** A client that reads slower than we write is dropped before its backlog exceeds this. */
const MAX_BACKLOG_BYTES = 1 << 20;
/**
 * A resuming client gets at most this many missed transitions replayed; one that missed more gets a `reset` with
 * the latest this many. Its first write stays far below the backlog limit (a transition is a few hundred bytes), and a
 * storm of resumes costs little however long the history is.
 */
export const REPLAY_MAX = 100;

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  // nginx and similar proxies buffer responses unless told otherwise; events must pass at once.
  'x-accel-buffering': 'no',
  connection: 'keep-alive',
} as const;

/** Why a client cannot subscribe now, sent as the JSON body of a 503. */
export interface EventStreamRefusal {
  readonly reason: string;
}

/** What runs on behalf of the listeners; all idle when nobody listens. */
export interface EventStreamActivity {
  readonly clients: number;
  readonly heartbeat: boolean;
  readonly refreshLoop: boolean;
}

/** One server-sent event. `data` is one line of JSON, so it needs no splitting. */
function frame(id: number, event: string, data: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}

/** `Last-Event-ID` as a sequence number, `undefined` when it is not one (an id this service never gives). */
function resumePoint(lastEventId: string): number | undefined {
  const id = /^\d+$/.test(lastEventId) ? Number(lastEventId) : NaN;
  return Number.isSafeInteger(id) ? id : undefined;
}

/**
 * The `evaluation`, `series` and `transition` events to every open stream (and the latest `evaluation` again when a
 * report annotation such as a maintenance window changes). Owns the two timers that serve the
 * listeners — the shared heartbeat and the refresh loop that keeps evaluations coming without probe traffic — and
 * stops both when the last listener leaves. The loop goes through the shared `snapshot()`, so however many listen,
 * and however many probes arrive too, the dependencies see at most one evaluation per TTL.
 */
@Injectable()
export class EventStreamService implements BeforeApplicationShutdown {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat?: NodeJS.Timeout;
  private refresh?: NodeJS.Timeout;
  private refreshing = false;
  private closing = false;
  private readonly following: Subscription;
  private readonly followingAnnotations: Subscription;

  constructor(
    private readonly health: HealthService,
    private readonly history: HistoryService,
    @Inject(STATUS_SETTINGS.token) private readonly settings: StatusSettings,
  ) {
    this.following = history.recorded$.subscribe((recorded) => this.broadcast(recorded));
    // A window started or ended shows at once, not at the next evaluation (a long TTL would hold it back).
    this.followingAnnotations = history.reannotated$.subscribe(({ evaluationId, eventData }) => {
      if (this.clients.size) this.writeAll(frame(evaluationId, 'evaluation', eventData));
    });
  }

  /** How often the service evaluates by itself while anyone listens. */
  get refreshIntervalMs(): number {
    return Math.max(this.health.reportTtlMs, MIN_REFRESH_MS);
  }

  /** What is running for the listeners now (for tests and diagnostics). */
  get activity(): EventStreamActivity {
    return {
      clients: this.clients.size,
      heartbeat: this.heartbeat !== undefined,
      refreshLoop: this.refresh !== undefined || this.refreshing,
    };
  }

  /** Why a new stream would be refused now: the subscriber cap is reached, or the service is shutting down. */
  refusal(): EventStreamRefusal | undefined {
    if (this.closing) return { reason: 'the service is shutting down' };
    if (this.clients.size >= this.settings.eventsMax) {
      return { reason: `too many event stream subscribers (HEALTH_EVENTS_MAX is ${this.settings.eventsMax})` };
    }
    return undefined;
  }

  /**
   * Starts a stream on `response` (whose headers are not sent yet): for a client that resumes (`lastEventId` set),
   * the transitions it missed or a `reset` with the latest ones; then the latest evaluation, then everything live.
   * The stream ends when the client goes away.
   */
  open(response: ServerResponse, lastEventId?: string): void {
    response.writeHead(200, STREAM_HEADERS);
    this.clients.add(response);
    response.once('close', () => this.drop(response));
    // A write racing a reset socket must not become an unhandled 'error' event that takes the process down.
    response.on('error', () => response.destroy());
    let text = `retry: ${RETRY_MS}\n\n`;
    const resumeFrom = lastEventId?.trim();
    if (resumeFrom) text += this.resumption(resumeFrom);
    const latest = this.history.latest;
    if (latest) text += frame(latest.evaluationId, 'evaluation', latest.eventData);
    this.write(response, text);
    this.heartbeat ??= setInterval(() => this.writeAll(': heartbeat\n\n'), HEARTBEAT_MS);
    if (!this.refresh && !this.refreshing) this.scheduleRefresh();
  }

  /**
   * Answers a `HEAD` of the stream: the headers a `GET` would get, then the end. No subscriber is added, no timer
   * started: a client checking that the route exists holds nothing.
   */
  head(response: ServerResponse): void {
    response.writeHead(200, STREAM_HEADERS);
    response.end();
  }

  /** Ends every stream and refuses new ones, so open streams never hold the closing server open. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    this.following.unsubscribe();
    this.followingAnnotations.unsubscribe();
    for (const response of this.clients) response.end();
    this.clients.clear();
    this.stopTimers();
  }

  /**
   * The frames a client resuming after `lastEventId` gets before the latest evaluation: the transitions it missed,
   * or a `reset` (under the newest id, so a later resume starts from there) when they cannot all be replayed.
   */
  private resumption(lastEventId: string): string {
    const resumption = this.history.resume(resumePoint(lastEventId), REPLAY_MAX);
    if (resumption.kind === 'replay') {
      return resumption.missed.map((t) => frame(t.id, 'transition', JSON.stringify(t))).join('');
    }
    const data: ResetEventDto = { reason: resumption.reason, transitions: resumption.latest };
    return frame(this.history.lastId, 'reset', JSON.stringify(data));
  }

  /**
   * A live evaluation: its transition if any, the points it added to the series (the `series` event, under the
   * evaluation's id, so a client that resumes after it has missed neither), then the report.
   */
  private broadcast({ eventData, evaluationId, series, transition }: RecordedEvaluation): void {
    if (!this.clients.size) return;
    let text = '';
    if (transition) text += frame(transition.id, 'transition', JSON.stringify(transition));
    text += frame(evaluationId, 'series', JSON.stringify(series));
    text += frame(evaluationId, 'evaluation', eventData);
    this.writeAll(text);
  }

  private writeAll(text: string): void {
    for (const response of this.clients) this.write(response, text);
  }

  private write(response: ServerResponse, text: string): void {
    if (response.writableEnded || response.destroyed) return;
    response.write(text);
    if (response.writableLength > MAX_BACKLOG_BYTES) response.destroy();
  }

  private drop(response: ServerResponse): void {
    this.clients.delete(response);
    if (!this.clients.size) this.stopTimers();
  }

  private stopTimers(): void {
    clearInterval(this.heartbeat);
    clearTimeout(this.refresh);
    this.heartbeat = this.refresh = undefined;
  }

  /**
   * Plans the next evaluation for when the latest report stops being fresh: probes that keep it fresh leave the
   * loop nothing to do, and the loop never asks more often than the cache allows.
   */
  private scheduleRefresh(): void {
    const latest = this.health.latest;
    const due = latest ? latest.finishedAt + this.refreshIntervalMs - performance.now() : 0;
    // +1 ms: a report exactly TTL old still counts as fresh for the shared cache.
    this.refresh = setTimeout(() => void this.refreshNow(), Math.max(due, 0) + 1);
  }

  private async refreshNow(): Promise<void> {
    this.refresh = undefined;
    this.refreshing = true;
    try {
      await this.health.snapshot();
    } catch {
      // An evaluation that threw is the health service's to log; the loop just tries again.
    } finally {
      this.refreshing = false;
    }
    if (this.clients.size && !this.closing) this.scheduleRefresh();
  }
}
