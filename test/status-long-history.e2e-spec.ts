import type { TransitionDto } from '../src/status/dto/transition.dto';
import { EventStreamService } from '../src/status/event-stream.service';
import { RunningApp, startApp } from './support/app';
import { EventStreamClient } from './support/event-stream';
import { FLAPPING_CHECK, flap } from './support/flapping-check';
import { waitFor } from './support/wait';

/** The largest history the service keeps, as an operator who wants "everything" would set it. */
const KEPT = 10_000;

/**
 * A long history against the real app over real sockets: a check that fails every other evaluation makes each one a
 * transition, and the test evaluates in process to record thousands in a second or two. Resumed streams stay
 * bounded and alive, and the history answers in bounded pages.
 */
describe('a long history', () => {
  let service: RunningApp;
  let firstTransition: TransitionDto;
  const clients: EventStreamClient[] = [];

  const open = async (lastEventId: string) => {
    const client = await EventStreamClient.open(`${service.url}/api/v1/health/events`, {
      'last-event-id': lastEventId,
    });
    clients.push(client);
    return client;
  };
  /** Drops the open streams and waits until the service has let them go: then nothing evaluates by itself. */
  const dropAll = async () => {
    clients.splice(0).forEach((c) => c.drop());
    const events = service.app.get(EventStreamService);
    await waitFor(() => events.activity.clients === 0 && !events.activity.refreshLoop, {
      what: 'the streams let go and the refresh loop stopped',
    });
  };
  /** The newest `limit` transitions kept, newest first (no stream is open, so nothing evaluates meanwhile). */
  const newest = async (limit: number) =>
    (await service.get(`/health/history?limit=${limit}`)).body.transitions as TransitionDto[];

  beforeAll(async () => {
    service = await startApp(
      { HEALTH_CACHE_TTL_MS: '0', HEALTH_HISTORY_SIZE: String(KEPT) },
      { checks: [FLAPPING_CHECK] },
    );
    // The first transition this process gives; the flapping below pushes it out of the ring.
    await service.get('/health');
    firstTransition = (await newest(1))[0];
    await flap(service, KEPT + 500);
  });
  afterEach(() => dropAll());
  afterAll(async () => {
    await service?.close();
  });

  it('a stream resumed after a transition long dropped gets its status line, a reset with the latest 100, then goes on live', async () => {
    const latest = await newest(100);
    const resumed = await open(String(firstTransition.id));
    expect(resumed.status).toBe(200);
    await resumed.next((e) => e.event === 'evaluation', 'the latest evaluation');
    const [reset, evaluation] = resumed.events;
    expect(reset.event).toBe('reset');
    expect(JSON.parse(reset.data)).toEqual({ reason: 'too_old', transitions: latest });
    // Under the newest id, so a later resume starts from there; the latest report follows at once.
    expect(evaluation).toMatchObject({ event: 'evaluation', id: reset.id });
    expect(Number(reset.id)).toBeGreaterThan(latest[0].id);
    expect(resumed.dataOf('transition')).toEqual([]);
    // The stream lives on: the refresh loop's next evaluation is the next transition.
    const live = await resumed.next((e) => e.event === 'transition', 'a live transition', 5000);
    expect(Number(live.id)).toBeGreaterThan(Number(reset.id));
  });

  it('an id this process never gave (0, or one from before a restart) gets a reset too: unknown', async () => {
    const latest = await newest(100);
    expect(firstTransition.id).toBeGreaterThan(1e15); // the ids start at the start time in microseconds
    // 0, and an id of a process that started a second before this one (its ids count from its start, in µs).
    for (const id of ['0', String(firstTransition.id - 1_000_000)]) {
      const resumed = await open(id);
      await resumed.next((e) => e.event === 'evaluation', 'the latest evaluation');
      expect(resumed.events[0].event).toBe('reset');
      expect(JSON.parse(resumed.events[0].data)).toEqual({ reason: 'unknown', transitions: latest });
      await dropAll();
    }
  });

  it('replays up to 100 missed transitions, oldest first, and resets a client that missed 101', async () => {
    const latest = await newest(102);
    const replayed = await open(String(latest[100].id));
    await replayed.next((e) => e.event === 'evaluation', 'the latest evaluation');
    const missed = replayed.dataOf<TransitionDto>('transition').slice(0, 100);
    expect(missed).toEqual(latest.slice(0, 100).reverse());
    expect(replayed.events.slice(0, 101).map((e) => e.event)).toEqual([...Array(100).fill('transition'), 'evaluation']);
    await dropAll();

    const newer = await newest(102);
    const reset = await open(String(newer[101].id));
    const first = await reset.next(() => true, 'the first event');
    expect(first.event).toBe('reset');
    expect(JSON.parse(first.data)).toEqual({ reason: 'too_old', transitions: newer.slice(0, 100) });
  });

  it.each([
    ['an id this process never gave (it restarted since)', () => String(Number.MAX_SAFE_INTEGER)],
    ['an id that is not a number', () => 'abc'],
  ])('resets a client that resumes with %s', async (_, id) => {
    const latest = await newest(100);
    const resumed = await open(id());
    expect(resumed.status).toBe(200);
    const first = await resumed.next(() => true, 'the first event');
    expect(first.event).toBe('reset');
    expect(JSON.parse(first.data)).toEqual({ reason: 'unknown', transitions: latest });
  });

  it('answers the history in bounded pages: 500 by default, at most 1000, each older page by `before`', async () => {
    const response = await fetch(`${service.url}/api/v1/health/history`);
    const text = await response.text();
    const first = JSON.parse(text) as { transitions: TransitionDto[]; next_before: number | null; series: object };
    expect(first.transitions).toHaveLength(500);
    expect(first.next_before).toBe(first.transitions[499].id);
    expect(Object.keys(first.series)).toEqual(['flapper']);
    // About 55 KB of transitions (these reasons are short; a reason is at most a few hundred bytes).
    expect(Buffer.byteLength(text)).toBeLessThan(150_000);

    const ids: number[] = [];
    let before: number | null = null;
    let pages = 0;
    do {
      const page = await service.get(`/health/history?limit=1000${before ? `&before=${before}` : ''}`);
      expect(page.status).toBe(200);
      ids.push(...(page.body.transitions as TransitionDto[]).map((t) => t.id));
      before = page.body.next_before as number | null;
      pages++;
    } while (before !== null);
    expect(pages).toBe(KEPT / 1000);
    expect(ids).toHaveLength(KEPT);
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1])).toBe(true);
  });

  it.each(['limit=1001', 'limit=0', 'limit=ten', 'before=-5', 'limit=5&limit=6'])(
    'refuses ?%s with a 400 saying what to change',
    async (query) => {
      const answer = await service.get(`/health/history?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/^(limit|before) must be one whole number from 1 to \d+$/),
      });
    },
  );
});
