/** One event as the page's stream reader hands it over. */
interface SseEvent {
  type: string;
  data: string;
  lastEventId: string;
}

interface SseParser {
  push(chunk: string): void;
  readonly lastEventId: string;
}

interface SseModule {
  createParser(handlers: {
    onEvent?(event: SseEvent): void;
    onComment?(text: string): void;
    onRetry?(ms: number): void;
  }): SseParser;
}

/** The real sse.js, a browser ES module (jest compiles the page's modules to CommonJS, see jest.config.js). */
function loadSse(): SseModule {
  return jest.requireActual<SseModule>('./sse.js');
}

/** Everything a parser reported for `chunks`, pushed one by one. */
function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = loadSse().createParser({
    onEvent: (event) => events.push({ ...event }),
    onComment: (text) => comments.push(text),
    onRetry: (ms) => retries.push(ms),
  });
  for (const chunk of chunks) parser.push(chunk);
  return { events, comments, retries, lastEventId: parser.lastEventId };
}

/** The stream as the service writes it: the reconnection time, an event, a heartbeat, another event. */
const STREAM =
  'retry: 2000\n\n' +
  'id: 7\nevent: transition\ndata: {"id":7,"to":"degraded"}\n\n' +
  ': heartbeat\n\n' +
  'id: 8\nevent: evaluation\ndata: {"status":"healthy"}\n\n';

const EXPECTED = {
  events: [
    { type: 'transition', data: '{"id":7,"to":"degraded"}', lastEventId: '7' },
    { type: 'evaluation', data: '{"status":"healthy"}', lastEventId: '8' },
  ],
  comments: ['heartbeat'],
  retries: [2000],
  lastEventId: '8',
};

describe('sse.js, the status page stream reader', () => {
  it('reads the service stream: events with their ids, comments, the reconnection time', () => {
    expect(parse([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same result however the stream is cut into chunks', () => {
    for (let size = 1; size <= 7; size++) {
      const chunks = STREAM.match(new RegExp(`[^]{1,${size}}`, 'g'))!;
      expect(parse(chunks)).toEqual(EXPECTED);
    }
  });

  it('accepts CRLF and lone CR line ends, also when a CRLF is split between chunks', () => {
    const crlf = STREAM.replace(/\n/g, '\r\n');
    expect(parse([crlf])).toEqual(EXPECTED);
    expect(parse(crlf.split(/(?<=\r)/))).toEqual(EXPECTED);
    expect(parse(['id: 1\r', '', '\ndata: a\r', '\r'])).toMatchObject({ events: [{ data: 'a', lastEventId: '1' }] });
    expect(parse([STREAM.replace(/\n/g, '\r')])).toEqual(EXPECTED);
  });

  it('joins data lines, defaults the type to message, and drops a leading byte order mark', () => {
    expect(parse(['\uFEFFdata: one\ndata\ndata:  two\n\n']).events).toEqual([
      { type: 'message', data: 'one\n\n two', lastEventId: '' },
    ]);
  });

  it('dispatches nothing for an event without data, but keeps its id', () => {
    expect(parse(['id: 3\nevent: transition\n\ndata: x\n\n'])).toMatchObject({
      events: [{ type: 'message', data: 'x', lastEventId: '3' }],
      lastEventId: '3',
    });
  });

  it('ignores unknown fields, a retry that is not all digits, and an id holding NUL', () => {
    expect(parse(['retry: 2s\nretry: -1\nfoo: bar\nid: 1\0\ndata: x\n\n'])).toEqual({
      events: [{ type: 'message', data: 'x', lastEventId: '' }],
      comments: [],
      retries: [],
      lastEventId: '',
    });
  });

  it('drops an unfinished event at the end of what arrived', () => {
    expect(parse(['id: 1\ndata: whole\n\nid: 2\ndata: cut']).events).toEqual([
      { type: 'message', data: 'whole', lastEventId: '1' },
    ]);
  });
});
