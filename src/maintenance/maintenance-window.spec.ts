import { isActive, MAX_MINUTES, MAX_REASON_LENGTH, readWindowRequest } from './maintenance-window';

const NOW = Date.parse('2026-12-05T18:00:00.000Z');
const MINUTE = 60_000;

describe('readWindowRequest', () => {
  it('reads minutes from now, and a trimmed reason', () => {
    expect(readWindowRequest({ minutes: 30, reason: '  upgrading nmap ' }, NOW)).toEqual({
      ok: true,
      window: { since: NOW, until: NOW + 30 * MINUTE, reason: 'upgrading nmap' },
    });
  });

  it('reads an RFC 3339 time in any offset, with or without fractions', () => {
    const read = (until: string) => readWindowRequest({ until }, NOW);
    expect(read('2026-12-05T18:30:00Z')).toEqual({
      ok: true,
      window: { since: NOW, until: NOW + 30 * MINUTE, reason: null },
    });
    expect(read('2026-12-05T19:30:00.500+01:00')).toMatchObject({ window: { until: NOW + 30 * MINUTE + 500 } });
  });

  it('takes a blank or null reason as none', () => {
    expect(readWindowRequest({ minutes: 1, reason: '   ' }, NOW)).toMatchObject({ window: { reason: null } });
    expect(readWindowRequest({ minutes: 1, reason: null }, NOW)).toMatchObject({ window: { reason: null } });
  });

  it('takes the longest window and reason, counting characters as people do', () => {
    expect(readWindowRequest({ minutes: MAX_MINUTES }, NOW)).toMatchObject({ ok: true });
    const week = new Date(NOW + MAX_MINUTES * MINUTE).toISOString();
    expect(readWindowRequest({ until: week }, NOW)).toMatchObject({ ok: true });
    // 200 emoji are 400 UTF-16 units, and one reason of 200 characters.
    expect(readWindowRequest({ minutes: 5, reason: '🔧'.repeat(MAX_REASON_LENGTH) }, NOW)).toMatchObject({ ok: true });
  });

  it.each([
    ['a string', 'minutes=30', /^the body must be a JSON object/],
    ['an array', [{ minutes: 30 }], /^the body must be a JSON object/],
    ['nothing', undefined, /^the body must be a JSON object/],
    ['neither field', { reason: 'x' }, /^give exactly one of "until" and "minutes"$/],
    ['both fields', { minutes: 5, until: '2026-12-05T19:00:00Z' }, /^give exactly one of/],
    ['an unknown field (a typo)', { minute: 30 }, /^unknown field "minute"$/],
    ['0 minutes', { minutes: 0 }, /^"minutes" must be a whole number from 1 to 10080$/],
    ['a week and a minute', { minutes: MAX_MINUTES + 1 }, /^"minutes" must be a whole number from 1 to 10080$/],
    ['a fraction of minutes', { minutes: 1.5 }, /^"minutes" must be a whole number/],
    ['minutes as text', { minutes: '30' }, /^"minutes" must be a whole number/],
    ['until on a day the month lacks', { until: '2026-11-31T19:00:00Z' }, /^"until" must be a time with its offset/],
    ['until at hour 24', { until: '2026-12-05T24:00:00Z' }, /^"until" must be a time with its offset/],
    ['until with an offset of 25 hours', { until: '2026-12-06T10:00:00+25:00' }, /^"until" must be a time with/],
    ['until in the past', { until: '2026-12-05T17:59:59Z' }, /^"until" is not in the future$/],
    ['until now', { until: '2026-12-05T18:00:00Z' }, /^"until" is not in the future$/],
    [
      'until past a week',
      { until: '2026-12-12T18:00:01Z' },
      /^"until" must be at most 10080 minutes \(7 days\) ahead$/,
    ],
    ['until without an offset', { until: '2026-12-05T19:00:00' }, /^"until" must be a time with its offset/],
    ['until as a date', { until: '2026-12-06' }, /^"until" must be a time with its offset/],
    ['until as a number', { until: NOW + MINUTE }, /^"until" must be a time with its offset/],
    ['an impossible until', { until: '2026-13-45T99:00:00Z' }, /^"until" must be a time with its offset/],
    ['a reason that is not text', { minutes: 5, reason: 42 }, /^"reason" must be text$/],
    ['a reason too long', { minutes: 5, reason: 'x'.repeat(201) }, /^"reason" must be at most 200 characters$/],
  ])('refuses %s with one line saying what to change', (_case, body, problem) => {
    const request = readWindowRequest(body, NOW);
    expect(request.ok).toBe(false);
    if (!request.ok) expect(request.problem).toMatch(problem);
  });
});

describe('isActive', () => {
  const window = { since: NOW, until: NOW + MINUTE, reason: null };

  it('holds from its start until, not including, its end: the clock ends it, no timer', () => {
    expect(isActive(window, NOW)).toBe(true);
    expect(isActive(window, NOW + MINUTE - 1)).toBe(true);
    expect(isActive(window, NOW + MINUTE)).toBe(false);
    expect(isActive(undefined, NOW)).toBe(false);
  });
});
