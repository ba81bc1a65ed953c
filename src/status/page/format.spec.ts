interface FormatModule {
  checkValues(check: Record<string, unknown>): string[];
  checkItems(
    check: Record<string, unknown>,
  ): Array<{ name: string; status: string; detail: string | null; values: string[] }>;
}

/** The real format.js, a browser ES module (jest compiles the page's modules to CommonJS, see jest.config.js). */
const page = jest.requireActual<FormatModule>('./format.js');

describe('format.js: what a check card shows beside the latency, whatever the check', () => {
  it('shows a check’s numbers, strings and booleans, not its status, latency, detail or lists', () => {
    expect(
      page.checkValues({
        status: 'ok',
        host: '10.0.0.5:5432',
        total: 2,
        paused: false,
        latency_ms: 2,
        detail: null,
        hosts: [],
      }),
    ).toEqual(['host 10.0.0.5:5432', 'total 2', 'paused no']);
  });

  it('lists each item with its name, status, detail and values in words', () => {
    const items = page.checkItems({
      status: 'error',
      hosts: [
        { host: '10.0.0.6:5432', status: 'ok', lag_bytes: 0, lag_seconds: 0.2, streaming: true, detail: null },
        {
          host: '10.0.0.7:5432',
          status: 'error',
          lag_bytes: null,
          lag_seconds: null,
          streaming: false,
          detail: 'refused',
        },
      ],
    });
    expect(items).toEqual([
      {
        name: '10.0.0.6:5432',
        status: 'ok',
        detail: null,
        values: ['lag_bytes 0', 'lag_seconds 0.2', 'streaming yes'],
      },
      {
        name: '10.0.0.7:5432',
        status: 'error',
        detail: 'refused',
        values: ['lag_bytes unknown', 'lag_seconds unknown', 'streaming no'],
      },
    ]);
    expect(page.checkItems({ status: 'ok', total: 3 })).toEqual([]);
  });
});
