import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { EMPTY } from 'rxjs';
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

const history = {
  recorded$: EMPTY,
  resume: () => ({ kind: 'replay', missed: [] }),
  latest: undefined,
} as unknown as HistoryService;

function setup(ttl: string) {
  const health = fakeHealth();
  health.reportTtlMs = Number(ttl);
  const events = new EventStreamService(health as unknown as HealthService, history, settingsFrom(STATUS_SETTINGS, {}));
  const open = () => {
    const response = new FakeResponse();
    events.open(response as unknown as ServerResponse);
    return response;
  };
  return { health, events, open };
}

describe('EventStreamService timers', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

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
