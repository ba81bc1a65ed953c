import { judge } from './health-cli-judge';

const check = (status: string, extra: Record<string, unknown> = {}) => ({ status, detail: null, ...extra });
const report = (status: string, checks: Record<string, unknown> = { database: check('ok') }) =>
  JSON.stringify({ status, version: '1.0.0', uptime_seconds: 12, checks });

describe('judge', () => {
  it.each([
    ['healthy', 200, 0],
    ['degraded', 200, 1],
    ['unhealthy', 503, 2],
  ])('%s with HTTP %i exits %i and keeps the report as received', (status, http, exitCode) => {
    const body = report(status, { database: check('ok'), vault: check('ok', { sealed: false }) });
    expect(judge(http, body)).toEqual({ exitCode, report: JSON.parse(body) });
  });

  it('judges by the body when the HTTP code disagrees, with a warning', () => {
    expect(judge(200, report('unhealthy'))).toMatchObject({
      exitCode: 2,
      report: { status: 'unhealthy' },
      problem: 'HTTP 200 disagrees with status "unhealthy"; judged by the status',
    });
    expect(judge(503, report('healthy'))).toMatchObject({ exitCode: 0, problem: expect.stringContaining('HTTP 503') });
    expect(judge(500, report('degraded'))).toMatchObject({ exitCode: 1, problem: expect.stringContaining('HTTP 500') });
  });

  it.each([
    ['not JSON', 'not json', 'HTTP 200 with "not json", not JSON'],
    ['an empty body', '', 'HTTP 200 with an empty body, not JSON'],
    ['an array', '[1]', 'HTTP 200, the JSON is not an object'],
    ['null', 'null', 'HTTP 200, the JSON is not an object'],
    ['no status', JSON.stringify({ checks: {} }), 'HTTP 200, "status" is missing, not healthy, degraded or unhealthy'],
    ['an unknown status', report('fine'), 'HTTP 200, "status" is "fine", not healthy, degraded or unhealthy'],
    ['a numeric status', JSON.stringify({ status: 0, checks: {} }), 'HTTP 200, "status" is 0, not healthy'],
    ['no checks', JSON.stringify({ status: 'healthy' }), 'HTTP 200, "checks" is not an object'],
    ['checks as a list', JSON.stringify({ status: 'healthy', checks: [] }), 'HTTP 200, "checks" is not an object'],
    ['a check without status', report('healthy', { cache: { detail: 1 } }), 'HTTP 200, check "cache" has no "status"'],
    ['a check that is not an object', report('healthy', { cache: 'ok' }), 'HTTP 200, check "cache" has no "status"'],
  ])('exits 2 without a report for %s', (_, body, problem) => {
    const verdict = judge(200, body);
    expect(verdict.exitCode).toBe(2);
    expect(verdict.report).toBeUndefined();
    expect(verdict.problem).toContain(problem);
  });

  it('quotes a non-JSON body as one short, printable line', () => {
    const { problem } = judge(502, `<html>\n\x1b[31m${'x'.repeat(500)}</html>`);
    expect(problem).toMatch(/^HTTP 502 with "<html> \[31mx+", not JSON$/);
    expect(problem).not.toContain('\x1b');
    expect(problem!.length).toBeLessThan(120);
  });

  it('accepts a check with a status it does not know yet: only the overall status is judged', () => {
    expect(judge(200, report('degraded', { scheduler: check('warming-up') })).exitCode).toBe(1);
  });
});
