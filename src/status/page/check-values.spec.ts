/** The real format.js, a browser ES module (jest compiles the page's modules to CommonJS, see jest.config.js). */
const { checkValues } = jest.requireActual<{ checkValues(check: Record<string, unknown>): string[] }>('./format.js');

describe('format.js checkValues, the values on a check card', () => {
  it('shows a check’s words beside its counts, in report order, and nothing of status, latency or detail', () => {
    const cache = {
      status: 'ok',
      mode: 'sentinel',
      master: '10.0.0.5:6379',
      sentinels_reachable: 3,
      replicas: 1,
      latency_ms: 0.8,
      detail: null,
    };
    expect(checkValues(cache)).toEqual([
      'mode sentinel',
      'master 10.0.0.5:6379',
      'sentinels_reachable 3',
      'replicas 1',
    ]);
  });

  it('leaves out what is neither a number nor a string', () => {
    expect(checkValues({ status: 'error', total: 0, nested: { a: 1 }, list: [1], detail: 'x', latency_ms: 1 })).toEqual(
      ['total 0'],
    );
  });
});
