// The live connection to `/events`, read with fetch() and sse.js as EventSource would read it: EventSource cannot
// send the bearer token. It resumes with `Last-Event-ID`, waits the server's `retry` before reconnecting, backs off
// while the service refuses or is away, and gives up on a stream that has gone silent.

import { apiFetch, TokenRefused } from './api.js';
import { createParser } from './sse.js';

const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 30000;
// The service writes a heartbeat comment every 15 s: a stream silent for longer than this is dead.
const SILENCE_MS = 40000;

/**
 * The stream, not yet connected. handlers: onOpen() when a stream opens, onEvent({ type, data, lastEventId }) for
 * each event, onLost(waitMs) when it broke and the next try is in `waitMs`, onTokenRefused() on a 401 (no retry).
 * Returns `{ connect(), stop(), forget() }`: stop() ends the stream and any planned retry; forget() drops the id
 * to resume from, so the next stream starts afresh.
 */
export function createStream(handlers) {
  let current = null;
  let lastEventId = '';
  let reconnectMs = FIRST_RETRY_MS;
  let retryMs = FIRST_RETRY_MS;
  let retryTimer;

  function stop() {
    clearTimeout(retryTimer);
    if (current) current.abort();
    current = null;
  }

  /** Tries again after the current backoff, which doubles up to 30 s until a stream opens. */
  function retryLater() {
    const wait = Math.max(retryMs, reconnectMs);
    retryMs = Math.min(wait * 2, MAX_RETRY_MS);
    retryTimer = setTimeout(connect, wait);
    handlers.onLost(wait);
  }

  /** Reads the opened stream until it ends, breaks or goes silent. */
  async function follow(response, controller) {
    const parser = createParser({
      onEvent(event) {
        lastEventId = event.lastEventId;
        handlers.onEvent(event);
      },
      onRetry(ms) {
        reconnectMs = ms;
      },
    });
    let silence;
    const watch = () => {
      clearTimeout(silence);
      silence = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      watch();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        watch();
        parser.push(value);
      }
    } finally {
      clearTimeout(silence);
    }
  }

  async function connect() {
    stop();
    const controller = new AbortController();
    current = controller;
    const headers = { accept: 'text/event-stream' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    try {
      const response = await apiFetch('/events', { headers, signal: controller.signal });
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel();
        if (!controller.signal.aborted) retryLater();
        return;
      }
      retryMs = FIRST_RETRY_MS;
      handlers.onOpen();
      await follow(response, controller);
    } catch (error) {
      if (error instanceof TokenRefused) return handlers.onTokenRefused();
      // A network error or an abort: handled below.
    }
    // stop() (a new connection, the token form) clears `current`: nothing to do then. Otherwise the stream ended,
    // broke or went silent: reconnect.
    if (current === controller) {
      current = null;
      retryLater();
    }
  }

  return {
    connect,
    stop,
    forget() {
      lastEventId = '';
    },
  };
}
