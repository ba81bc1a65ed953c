import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basicAuthFrom } from '../common/basic-auth';
import { describeError } from '../common/redact';
import type { RenderedNotification } from './notification-formats';

/** How one POST ended: an HTTP answer, or why there was none. Never carries the URL. */
export type PostOutcome =
  | { readonly kind: 'answered'; readonly status: number; readonly ms: number }
  | { readonly kind: 'failed'; readonly problem: string; readonly timedOut: boolean; readonly ms: number };

/** One POST of a notification; the seam tests replace. */
export type PostFn = (
  url: string,
  notification: RenderedNotification,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal; readonly userAgent: string },
) => Promise<PostOutcome>;

/** A receiver's answer body is not needed; at most this much is read before the socket is dropped. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs `notification` to `url` once, over a connection of its own (no keep-alive pool outliving the app), with one
 * deadline over connect, answer and body. A user name and password in the URL travel as HTTP Basic authentication.
 * Redirects are answers like any other (a webhook that moved is a misconfiguration to report). Never rejects, and
 * no outcome names the URL, whose path and query may be secret.
 */
export const httpPost: PostFn = (url, { headers, body }, { timeoutMs, signal, userAgent }) => {
  const started = performance.now();
  const target = new URL(url);
  const auth = basicAuthFrom(target);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    let timedOut = false;
    // Set once the request exists; a failure before that (a refused header) has no timer to clear.
    let timer: NodeJS.Timeout | undefined = undefined;
    const finish = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const fail = (problem: string): void =>
      finish({ kind: 'failed', problem, timedOut, ms: performance.now() - started });
    let req: ReturnType<typeof send> | undefined;
    const onAbort = (): void => {
      req?.destroy();
      fail('cancelled: the service is shutting down');
    };
    try {
      req = send(
        target,
        {
          method: 'POST',
          agent: false,
          headers: {
            ...headers,
            ...auth,
            'user-agent': userAgent,
            'content-length': String(Buffer.byteLength(body)),
          },
        },
        (res: IncomingMessage) => {
          let read = 0;
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_ANSWER_BYTES) res.destroy();
          });
          res.on('error', () => undefined);
          // The answer counts once its body is in (or cut short): the receiver has taken the notification.
          res.on('close', () =>
            finish({ kind: 'answered', status: res.statusCode ?? 0, ms: performance.now() - started }),
          );
        },
      );
    } catch (error) {
      // A header Node refuses (a character it cannot send) throws here, before any I/O.
      fail(describeError(error));
      return;
    }
    const sent = req;
    timer = setTimeout(() => {
      timedOut = true;
      sent.destroy();
      fail(`timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    sent.on('error', (error) => fail(describeError(error)));
    sent.end(body);
  });
};
