import type { OverallStatus } from '../health/health-status';
import { NotificationPolicy, Observation } from './notification-policy';

const REASONS: Record<OverallStatus, string | null> = {
  healthy: null,
  degraded: 'cache: redis PING timed out after 1000 ms',
  unhealthy: 'database: database unreachable: connect ECONNREFUSED 127.0.0.1:5432',
};

function seen(status: OverallStatus, at: number): Observation {
  const database = status === 'unhealthy' ? 'error' : 'ok';
  const cache = status === 'degraded' ? 'error' : 'ok';
  return { status, at, reason: REASONS[status], checks: { database, cache, plugins: 'ok' } };
}

/** Feeds `(status, at)` pairs and answers what was sent, as `event status@at (since, previous)`. */
function run(policy: NotificationPolicy, steps: Array<[OverallStatus, number]>, held?: (at: number) => boolean) {
  return steps.flatMap(([status, at]) => {
    const sent = policy.observe(seen(status, at), held?.(at) ?? false);
    return sent ? [`${sent.event} ${sent.status}@${at} (since ${sent.since}, previous ${sent.previous})`] : [];
  });
}

describe('NotificationPolicy', () => {
  const policy = (afterMs = 300, repeatMs = 0) => new NotificationPolicy({ afterMs, repeatMs });

  it('is silent while healthy, from the start', () => {
    expect(
      run(policy(), [
        ['healthy', 0],
        ['healthy', 1000],
        ['healthy', 10_000],
      ]),
    ).toEqual([]);
  });

  it('announces a status once it has held for afterMs, not before, with when it began and what it replaced', () => {
    const p = policy(300);
    expect(
      run(p, [
        ['healthy', 0],
        ['unhealthy', 1000],
        ['unhealthy', 1299],
      ]),
    ).toEqual([]);
    expect(p.nextDecisionAt()).toBe(1300);
    expect(
      run(p, [
        ['unhealthy', 1300],
        ['unhealthy', 5000],
      ]),
    ).toEqual(['status_changed unhealthy@1300 (since 1000, previous healthy)']);
  });

  it('carries the reason and the check statuses of the evaluation that decided', () => {
    const p = policy(0);
    p.observe(seen('healthy', 0));
    expect(p.observe(seen('degraded', 10))).toEqual({
      event: 'status_changed',
      status: 'degraded',
      previous: 'healthy',
      since: 10,
      reason: 'cache: redis PING timed out after 1000 ms',
      checks: { database: 'ok', cache: 'error', plugins: 'ok' },
    });
  });

  it('sends nothing for a flap shorter than afterMs, in either direction', () => {
    const p = policy(300);
    expect(
      run(p, [
        ['healthy', 0],
        ['unhealthy', 100],
        ['unhealthy', 350],
        ['healthy', 390],
        ['healthy', 2000],
      ]),
    ).toEqual([]);
    expect(
      run(p, [
        ['unhealthy', 3000],
        ['unhealthy', 3400],
        ['healthy', 3500],
        ['unhealthy', 3700],
        ['unhealthy', 3900],
      ]),
    ).toEqual(['status_changed unhealthy@3400 (since 3000, previous healthy)']);
  });

  it('announces the return to healthy as recovered once it has held', () => {
    const p = policy(300);
    expect(
      run(p, [
        ['healthy', 0],
        ['unhealthy', 100],
        ['unhealthy', 400],
        ['healthy', 1000],
        ['healthy', 1200],
        ['healthy', 1300],
        ['healthy', 9000],
      ]),
    ).toEqual([
      'status_changed unhealthy@400 (since 100, previous healthy)',
      'recovered healthy@1300 (since 1000, previous unhealthy)',
    ]);
  });

  it('announces a move between two bad states, and a start that is already bad with previous null', () => {
    const p = policy(300);
    expect(
      run(p, [
        ['unhealthy', 0],
        ['unhealthy', 300],
        ['degraded', 1000],
        ['degraded', 1300],
      ]),
    ).toEqual([
      'status_changed unhealthy@300 (since 0, previous null)',
      'status_changed degraded@1300 (since 1000, previous unhealthy)',
    ]);
  });

  it('is silent when a bad start recovers before afterMs', () => {
    expect(
      run(policy(300), [
        ['unhealthy', 0],
        ['healthy', 200],
        ['healthy', 5000],
      ]),
    ).toEqual([]);
  });

  it('reminds every repeatMs while not healthy, keeping when the state began, and stops on recovery', () => {
    const p = policy(300, 1000);
    expect(
      run(p, [
        ['healthy', 0],
        ['unhealthy', 100],
        ['unhealthy', 400],
        ['unhealthy', 1399],
        ['unhealthy', 1400],
        ['healthy', 1500], // a flap back is not a recovery, nor a new state
        ['unhealthy', 1600],
        ['unhealthy', 2400],
        ['healthy', 2500],
        ['healthy', 2800],
        ['healthy', 9000],
      ]),
    ).toEqual([
      'status_changed unhealthy@400 (since 100, previous healthy)',
      'reminder unhealthy@1400 (since 100, previous healthy)',
      'reminder unhealthy@2400 (since 100, previous healthy)',
      'recovered healthy@2800 (since 2500, previous unhealthy)',
    ]);
    expect(p.nextDecisionAt()).toBeUndefined();
  });

  it('never reminds with repeatMs 0', () => {
    const p = policy(0, 0);
    expect(
      run(p, [
        ['healthy', 0],
        ['degraded', 10],
        ['degraded', 1e9],
      ]),
    ).toEqual(['status_changed degraded@10 (since 10, previous healthy)']);
    expect(p.nextDecisionAt()).toBeUndefined();
  });

  it('says when the next reminder falls due', () => {
    const p = policy(0, 1000);
    run(p, [
      ['healthy', 0],
      ['degraded', 10],
    ]);
    expect(p.nextDecisionAt()).toBe(1010);
  });

  it('holds everything while held, and announces a state that still holds when the hold ends', () => {
    const p = policy(300, 1000);
    const held = (at: number) => at >= 1000 && at < 5000;
    expect(
      run(
        p,
        [
          ['healthy', 0],
          ['unhealthy', 1100],
          ['unhealthy', 2000],
          ['unhealthy', 4900],
          ['unhealthy', 5000],
          ['unhealthy', 5500],
        ],
        held,
      ),
    ).toEqual(['status_changed unhealthy@5000 (since 1100, previous healthy)']);
  });

  it('sends nothing for a state that came and went within a hold', () => {
    const p = policy(300);
    const held = (at: number) => at < 5000;
    expect(
      run(
        p,
        [
          ['healthy', 0],
          ['unhealthy', 100],
          ['unhealthy', 2000],
          ['healthy', 3000],
          ['healthy', 6000],
        ],
        held,
      ),
    ).toEqual([]);
  });
});
