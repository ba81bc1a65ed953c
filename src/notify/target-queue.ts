import { setTimeout as sleep } from 'node:timers/promises';
import type { PostFn, PostOutcome } from './http-post';
import type { NotificationPayload } from './notification';
import type { RenderedNotification } from './notification-formats';
import type { NotifyTarget } from './notify-target';

/** How a notification ended for one target. */
export type DeliveryResult = 'sent' | 'failed' | 'dropped';
/** Every {@link DeliveryResult}, for counters that start at 0. */
export const DELIVERY_RESULTS: readonly DeliveryResult[] = ['sent', 'failed', 'dropped'];

/** What became of one notification at one target. Names the target by label and host only. */
export interface DeliveryReport {
  readonly target: NotifyTarget;
  readonly payload: NotificationPayload;
  readonly result: DeliveryResult;
  /** POSTs made (0 when it was dropped before the first). */
  readonly tries: number;
  /** Why it failed or was dropped: `HTTP 500`, `timed out after 5000 ms`, … (never the URL). */
  readonly problem?: string;
}

/** How hard a delivery tries. */
export interface DeliveryOptions {
  /** Each POST gives up after this long. */
  readonly timeoutMs: number;
  /** POSTs at most, the first included. */
  readonly tries: number;
  /** The pause before try n + 1 (n from 1). */
  readonly backoffMs: (failedTries: number) => number;
  readonly userAgent: string;
  readonly post: PostFn;
}

/** The contract's delivery: 5 s per try, 3 tries, 1 s then 2 s between them. */
export const DEFAULT_DELIVERY: Omit<DeliveryOptions, 'userAgent' | 'post'> = {
  timeoutMs: 5000,
  tries: 3,
  backoffMs: (failedTries) => 1000 * 2 ** (failedTries - 1),
};

/** A notification rendered for one target. */
export interface DeliveryJob {
  readonly payload: NotificationPayload;
  readonly rendered: RenderedNotification;
}

/**
 * The deliveries to one target, one at a time: at most one in flight, and at most one waiting — a newer
 * notification replaces a waiting one (which is reported `dropped`) instead of piling up behind a slow receiver.
 * A try that fails for a reason a later try may not meet (no answer, a timeout, 408, 429, 5xx) is retried after a
 * backoff; any other answer (a 404 for a deleted webhook) fails at once.
 */
export class TargetQueue {
  private running?: Promise<void>;
  private waiting?: DeliveryJob;
  private closing = false;
  private readonly cancel = new AbortController();

  constructor(
    readonly target: NotifyTarget,
    private readonly options: DeliveryOptions,
    private readonly report: (report: DeliveryReport) => void,
  ) {}

  /** Whether a delivery is in flight or waiting. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Queues `job`: at once when the target is idle, else in place of any job still waiting. */
  push(job: DeliveryJob): void {
    if (this.closing) return this.drop(job, 0, 'the service is shutting down');
    if (!this.running) {
      this.running = this.drain(job);
      return;
    }
    if (this.waiting) this.drop(this.waiting, 0, 'a newer notification replaced it');
    this.waiting = job;
  }

  /**
   * Takes no more jobs and drops the waiting one; the one in flight has `graceMs` to finish (retries included),
   * then is cancelled and dropped. Resolves when nothing is left running.
   */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    if (this.waiting) this.drop(this.waiting, 0, 'the service is shutting down');
    this.waiting = undefined;
    const running = this.running;
    if (!running) return;
    const grace = new AbortController();
    await Promise.race([running, sleep(graceMs, undefined, { signal: grace.signal }).catch(() => undefined)]);
    grace.abort();
    this.cancel.abort();
    await running;
  }

  private async drain(first: DeliveryJob): Promise<void> {
    let job: DeliveryJob | undefined = first;
    while (job) {
      await this.deliver(job);
      job = this.waiting;
      this.waiting = undefined;
    }
    this.running = undefined;
  }

  private async deliver(job: DeliveryJob): Promise<void> {
    const { timeoutMs, tries, backoffMs, userAgent, post } = this.options;
    const signal = this.cancel.signal;
    for (let attempt = 1; ; attempt++) {
      const outcome = await post(this.target.url, job.rendered, { timeoutMs, signal, userAgent });
      if (outcome.kind === 'answered' && outcome.status >= 200 && outcome.status < 300) {
        return this.report({ target: this.target, payload: job.payload, result: 'sent', tries: attempt });
      }
      const problem = this.problemOf(outcome);
      if (signal.aborted) return this.drop(job, attempt, `cancelled at shutdown after ${problem}`);
      if (attempt >= tries || !retryable(outcome)) {
        const result = 'failed';
        return this.report({ target: this.target, payload: job.payload, result, tries: attempt, problem });
      }
      await sleep(backoffMs(attempt), undefined, { signal }).catch(() => undefined);
      if (signal.aborted) return this.drop(job, attempt, `cancelled at shutdown after ${problem}`);
    }
  }

  private drop(job: DeliveryJob, tries: number, problem: string): void {
    this.report({ target: this.target, payload: job.payload, result: 'dropped', tries, problem });
  }

  /** What went wrong, with any piece of the target's URL that could be secret cut out, whatever produced it. */
  private problemOf(outcome: PostOutcome): string {
    const text = outcome.kind === 'answered' ? `HTTP ${outcome.status}` : outcome.problem;
    return withoutSecretsOf(this.target.url, text);
  }
}

function retryable(outcome: PostOutcome): boolean {
  if (outcome.kind === 'failed') return true;
  return outcome.status >= 500 || outcome.status === 408 || outcome.status === 429;
}

/**
 * `text` with the path, query, user name and password of `url` replaced by `…`. The errors of Node's HTTP client
 * name the host and port only; this holds even if one day one quotes more.
 */
export function withoutSecretsOf(url: string, text: string): string {
  const parsed = URL.parse(url);
  if (!parsed) return text;
  const secrets = [url, parsed.pathname + parsed.search, parsed.search, parsed.username, parsed.password]
    .flatMap((part) => [part, safeDecode(part)])
    .filter((part) => part.length >= 4 && part !== '/')
    .sort((a, b) => b.length - a.length);
  return secrets.reduce((result, secret) => result.split(secret).join('…'), text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
