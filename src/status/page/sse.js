// Reads a text/event-stream the way EventSource does, for a stream fetched with fetch(): EventSource cannot send an
// Authorization header. A browser ES module with no dependencies.

/**
 * A parser for decoded text chunks of an event stream, following the HTML standard's rules: lines end with CRLF, LF
 * or CR (a CR at the end of one chunk and an LF at the start of the next are one line end); a line starting with
 * ":" is a comment; "field: value" loses one space after the colon; `data` lines are joined with LF; an `id`
 * holding NUL is ignored; `retry` counts only when it is all ASCII digits; a blank line dispatches the event unless
 * it has no data; an unfinished event at the end of the stream is dropped (the caller simply stops pushing).
 *
 * handlers: onEvent({ type, data, lastEventId }), onComment(text), onRetry(ms); all optional.
 */
export function createParser(handlers) {
  const on = handlers || {};
  let pending = '';
  let started = false;
  let afterCR = false;
  let type = '';
  let data = '';
  let hasData = false;
  let idBuffer = '';
  let lastEventId = '';

  function dispatch() {
    lastEventId = idBuffer;
    if (!hasData) {
      type = '';
      return;
    }
    const event = { type: type || 'message', data, lastEventId };
    type = '';
    data = '';
    hasData = false;
    if (on.onEvent) on.onEvent(event);
  }

  function line(text) {
    if (text === '') return dispatch();
    if (text[0] === ':') {
      if (on.onComment) on.onComment(text.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    switch (field) {
      case 'event':
        type = value;
        break;
      case 'data':
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) idBuffer = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value) && on.onRetry) on.onRetry(Number(value));
        break;
      default:
      // Unknown fields are ignored, as the standard says.
    }
  }

  /** Feeds the next decoded piece of the stream. */
  function push(chunk) {
    let text = chunk;
    if (!started && text.length) {
      started = true;
      if (text[0] === '\uFEFF') text = text.slice(1);
    }
    // The LF of a CRLF split across two chunks belongs to the line the CR already ended.
    if (afterCR && text.length) {
      if (text[0] === '\n') text = text.slice(1);
      afterCR = false;
    }
    pending += text;
    let start = 0;
    for (let i = 0; i < pending.length; i++) {
      const char = pending[i];
      if (char !== '\n' && char !== '\r') continue;
      line(pending.slice(start, i));
      if (char === '\r') {
        if (i + 1 === pending.length) afterCR = true;
        else if (pending[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    pending = pending.slice(start);
  }

  return {
    push,
    /** The id of the last dispatched event, to send as `Last-Event-ID` when reconnecting ('' when none). */
    get lastEventId() {
      return lastEventId;
    },
  };
}
