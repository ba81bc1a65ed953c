import { ClientRequest, IncomingMessage, request } from 'node:http';
import { waitFor } from './wait';

/** One server-sent event as a client sees it. */
export interface StreamEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
  /** `performance.now()` when it arrived. */
  readonly receivedAt: number;
}

/**
 * A plain HTTP client for `text/event-stream` that records every event and comment, so tests can await them.
 * `drop()` destroys the socket without a goodbye, as a vanished browser or a killed tool would.
 */
export class EventStreamClient {
  readonly events: StreamEvent[] = [];
  readonly comments: string[] = [];
  /** The body, when the server refused the stream. */
  body = '';
  private buffer = '';
  readonly ended: Promise<void>;

  private constructor(
    private readonly req: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (response.statusCode !== 200) this.body += chunk;
      else this.parse(chunk);
    });
    this.ended = new Promise((resolve) => {
      response.once('close', resolve);
      response.once('error', () => resolve());
    });
  }

  /** Opens `url` and resolves once the answer's headers have arrived. */
  static open(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
      req.once('response', (response) => resolve(new EventStreamClient(req, response)));
      req.once('error', reject);
      req.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  /** Events named `event` received so far, with their data parsed. */
  dataOf<T = Record<string, unknown>>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as T);
  }

  /** Waits for an event that matches, among those received after the first `from` ones. */
  next(match: (event: StreamEvent) => boolean, what: string, timeoutMs = 10_000, from = 0): Promise<StreamEvent> {
    return waitFor(() => this.events.slice(from).find(match), { what, timeoutMs, intervalMs: 10 });
  }

  /** Destroys the connection abruptly. */
  drop(): void {
    this.req.destroy();
  }

  private parse(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const fields: Record<string, string> = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else {
          const colon = line.indexOf(':');
          fields[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
      }
      if (fields.data !== undefined) {
        this.events.push({
          id: fields.id,
          event: fields.event ?? 'message',
          data: fields.data,
          receivedAt: performance.now(),
        });
      }
    }
  }
}
