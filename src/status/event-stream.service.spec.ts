import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { EMPTY, Subject } from 'rxjs';
import { settingsFrom } from '../config/settings';
import { STATUS_SETTINGS } from './status.settings';
import type { HealthService, HealthSnapshot } from '../health';
import { EventStreamService, HEARTBEAT_MS } from './event-stream.service';
import type { HistoryService } from './history.service';

/** A response that records what was written; `close()` is the client going away. */
class FakeResponse extends EventEmitter {
  text = '';
  writableEnded = false;
  destroyed = false;
  writableLength = 0;
  writeHead(): this {
    return this;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  end(): void {
    this.writableEnded = true;
    this.emit('close');
  }
  destroy(): void {
    this.close();
  }
  close(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

/** A health service whose evaluations finish at once, counted, on jest's fake clock. */
function fakeHealth() {
  let latest: HealthSnapshot | undefined;
  const health = {
    evaluations: 0,
    reportTtlMs: 0,
    get latest() {
      return latest;
    },
    snapshot: () => {
      health.evaluations++;
      latest = { finishedAt: performance.now() } as HealthSnapshot;
      return Promise.resolve(latest);
    },
  };
  return health;
}

/** The latest evaluation again, with new annotations (a maintenance window started or ended). */
const reannotated = new Subject<{ evaluationId: number; eventData: string }>();

const history = {
  recorded$: EMPTY,
  reannotated$: reannotated,
  resume: () => ({ kind: 'replay', missed: [] }),
  latest: undefined,
} as unknown as HistoryService;

function setup(ttl: string) {
  const health = fakeHealth();
  health.reportTtlMs = Number(ttl);
  const events = new EventStreamService(health as unknown as HealthService, history, settingsFrom(STATUS_SETTINGS, {}));
  shutdowns.push(events);
  const open = () => {
    const response = new FakeResponse();
    events.open(response as unknown as ServerResponse);
    return response;
  };
  return { health, events, open };
}

/** Every service a test made, ended after it so none follows the shared subject into the next test. */
const shutdowns: EventStreamService[] = [];

describe('EventStreamService timers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    for (const events of shutdowns.splice(0)) events.beforeApplicationShutdown();
    jest.useRealTimers();
  });

  it('sends the latest evaluation again at once when its annotations change, without evaluating', () => {
    const { health, open } = setup('60000');
    const client = open();
    reannotated.next({ evaluationId: 7, eventData: '{"maintenance":{}}' });
    expect(client.text).toContain('id: 7\nevent: evaluation\ndata: {"maintenance":{}}\n\n');
    expect(health.evaluations).toBe(0);
    client.close();
  });

  it('evaluates once per TTL however many listen, and stops when the last one leaves', async () => {
    const { health, events, open } = setup('2000');
    const clients = Array.from({ length: 50 }, open);
    await jest.advanceTimersByTimeAsync(20_000);
    expect(health.evaluations).toBeGreaterThanOrEqual(10);
    expect(health.evaluations).toBeLessThanOrEqual(11);
    clients.forEach((c) => c.close());
    expect(events.activity).toEqual({ clients: 0, heartbeat: false, refreshLoop: false });
    const before = health.evaluations;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(health.evaluations).toBe(before);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('never refreshes more than once a second, even at TTL 0', async () => {
    const { health, events, open } = setup('0');
    const client = open();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(health.evaluations).toBeGreaterThanOrEqual(9);
    expect(health.evaluations).toBeLessThanOrEqual(11);
    expect(events.refreshIntervalMs).toBe(1000);
    client.close();
  });

  it('sends a heartbeat comment every 15 s to every listener', async () => {
    const { open } = setup('1000');
    const [a, b] = [open(), open()];
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS - 1);
    expect(a.text).not.toContain(': heartbeat');
    await jest.advanceTimersByTimeAsync(1);
    expect(a.text.match(/: heartbeat\n\n/g)).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(HEARTBEAT_MS);
    expect(b.text.match(/: heartbeat\n\n/g)).toHaveLength(2);
    a.close();
    b.close();
  });

  it('ends every stream on shutdown, clears its timers and refuses new subscribers', () => {
    const { events, open } = setup('1000');
    const client = open();
    events.beforeApplicationShutdown();
    expect(client.writableEnded).toBe(true);
    expect(events.activity).toEqual({ clients: 0, heartbeat: false, refreshLoop: false });
    expect(jest.getTimerCount()).toBe(0);
    expect(events.refusal()).toEqual({ reason: 'the service is shutting down' });
  });

  it('drops a client whose unread backlog passes 1 MiB', () => {
    const { events, open } = setup('1000');
    const slow = open();
    slow.writableLength = 2 << 20;
    events['writeAll']('x');
    expect(events.activity.clients).toBe(0);
  });
});
