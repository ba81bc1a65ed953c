import { CheckVerdict, httpStatusOf, overallStatus } from './health-status';

const ok = (critical: boolean): CheckVerdict => ({ status: 'ok', critical });
const error = (critical: boolean): CheckVerdict => ({ status: 'error', critical });

describe('overallStatus', () => {
  it('is healthy when every check is ok', () => {
    expect(overallStatus([ok(true), ok(false), ok(false)])).toBe('healthy');
  });

  it('is healthy with no checks at all', () => {
    expect(overallStatus([])).toBe('healthy');
  });

  it('is unhealthy when a critical check fails, whatever the others say', () => {
    expect(overallStatus([error(true), ok(false), ok(false)])).toBe('unhealthy');
    expect(overallStatus([ok(false), error(false), error(true)])).toBe('unhealthy');
  });

  it('is degraded when only non-critical checks fail', () => {
    expect(overallStatus([ok(true), error(false), ok(false)])).toBe('degraded');
    expect(overallStatus([ok(true), error(false), error(false)])).toBe('degraded');
  });

  // Every combination of the three shipped checks: database critical, cache and plugins not.
  const states = ['ok', 'error'] as const;
  for (const database of states)
    for (const cache of states)
      for (const plugins of states) {
        const expected =
          database === 'error' ? 'unhealthy' : cache === 'error' || plugins === 'error' ? 'degraded' : 'healthy';
        it(`database ${database}, cache ${cache}, plugins ${plugins} → ${expected}`, () => {
          const verdicts = [
            { status: database, critical: true },
            { status: cache, critical: false },
            { status: plugins, critical: false },
          ];
          expect(overallStatus(verdicts)).toBe(expected);
        });
      }
});

describe('httpStatusOf', () => {
  it('answers 200 for healthy and degraded, 503 for unhealthy', () => {
    expect(httpStatusOf('healthy')).toBe(200);
    expect(httpStatusOf('degraded')).toBe(200);
    expect(httpStatusOf('unhealthy')).toBe(503);
  });
});
