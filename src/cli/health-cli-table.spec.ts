import type { ReceivedReport } from './health-cli-judge';
import { formatTable, formatUptime } from './health-cli-table';

const URL = 'http://127.0.0.1:3000/api/v1/health';
const ESC = '\x1b';

const degraded: ReceivedReport = {
  status: 'degraded',
  version: '1.0.0',
  uptime_seconds: 3412,
  checks: {
    database: { status: 'ok', latency_ms: 2.4, detail: null },
    cache: { status: 'error', latency_ms: 0.1, detail: 'redis unreachable: connect ECONNREFUSED 127.0.0.1:6379' },
    plugins: { status: 'ok', total: 12, runnable: 10, detail: null },
  },
};

describe('formatTable', () => {
  it('prints a header and one aligned row per check, plain when colour is off', () => {
    expect(formatTable(degraded, { color: false, url: URL })).toBe(
      [
        `status: degraded  version: 1.0.0  uptime: 56m 52s  url: ${URL}`,
        '',
        'CHECK     STATUS  LATENCY  DETAIL',
        'database  ok       2.4 ms  -',
        'cache     error    0.1 ms  redis unreachable: connect ECONNREFUSED 127.0.0.1:6379',
        'plugins   ok            -  total=12, runnable=10',
        '',
      ].join('\n'),
    );
  });

  it('says under the header when a maintenance window is active, its reason made printable', () => {
    const report = { ...degraded, maintenance: { until: '2026-12-05T18:30:00.000Z', reason: 'upgrading\nnmap' } };
    expect(formatTable(report, { color: false, url: URL }).split('\n').slice(0, 3)).toEqual([
      `status: degraded  version: 1.0.0  uptime: 56m 52s  url: ${URL}`,
      'maintenance: until 2026-12-05T18:30:00.000Z: upgrading nmap (notifications held)',
      '',
    ]);
    const noReason = { ...degraded, maintenance: { until: '2026-12-05T18:30:00.000Z', reason: null } };
    expect(formatTable(noReason, { color: false, url: URL })).toContain(
      '\nmaintenance: until 2026-12-05T18:30:00.000Z (notifications held)\n\n',
    );
    expect(formatTable({ ...degraded, maintenance: 'soon' }, { color: false, url: URL })).toBe(
      formatTable(degraded, { color: false, url: URL }),
    );
  });

  it('colours statuses only when asked: green ok/healthy, yellow degraded, red error/unhealthy', () => {
    const plain = formatTable(degraded, { color: false, url: URL });
    expect(plain).not.toContain(ESC);
    const coloured = formatTable(degraded, { color: true, url: URL });
    expect(coloured).toContain(`status: ${ESC}[33mdegraded${ESC}[0m`);
    expect(coloured).toContain(`database  ${ESC}[32mok    ${ESC}[0m`);
    expect(coloured).toContain(`cache     ${ESC}[31merror ${ESC}[0m`);
    const unhealthy = formatTable({ ...degraded, status: 'unhealthy' }, { color: true, url: URL });
    expect(unhealthy).toContain(`${ESC}[31munhealthy${ESC}[0m`);
    const healthy = formatTable({ ...degraded, status: 'healthy' }, { color: true, url: URL });
    expect(healthy).toContain(`${ESC}[32mhealthy${ESC}[0m`);
    // Without the escapes, the coloured table is the plain one: colour never shifts a column.
    expect(coloured.replaceAll(new RegExp(`${ESC}\\[\\d+m`, 'g'), '')).toBe(plain);
  });

  it('shows checks it does not know, with their extra fields when there is no detail', () => {
    const report: ReceivedReport = {
      ...degraded,
      checks: {
        vault: { status: 'ok', latency_ms: 12.345, detail: null, sealed: false, nested: { ignored: true } },
        scheduler: { status: 'paused', detail: null },
      },
    };
    const lines = formatTable(report, { color: true, url: URL }).split('\n');
    expect(lines).toContain('CHECK      STATUS  LATENCY  DETAIL');
    expect(lines).toContain(`vault      ${ESC}[32mok    ${ESC}[0m  12.3 ms  sealed=false`);
    expect(lines).toContain('scheduler  paused        -  -'); // an unknown status is shown, uncoloured
  });

  it('shows a check’s strings and its list item by item: name, status, then the values measured', () => {
    const report: ReceivedReport = {
      ...degraded,
      checks: {
        database: { status: 'ok', host: '10.0.0.5:5432', latency_ms: 2.4, detail: null },
        replicas: {
          status: 'ok',
          total: 2,
          hosts: [
            { host: '10.0.0.6:5432', status: 'ok', lag_bytes: 0, lag_seconds: 0, streaming: true, detail: null },
            { host: '10.0.0.7:5432', status: 'ok', lag_bytes: null, lag_seconds: 1.5, streaming: true, detail: null },
          ],
          latency_ms: 3.1,
          detail: null,
        },
      },
    };
    const lines = formatTable(report, { color: false, url: URL }).split('\n');
    expect(lines).toContain('database  ok       2.4 ms  host=10.0.0.5:5432');
    expect(lines).toContain(
      'replicas  ok       3.1 ms  total=2, hosts: 10.0.0.6:5432 ok (lag_bytes=0, lag_seconds=0, streaming=true); ' +
        '10.0.0.7:5432 ok (lag_seconds=1.5, streaming=true)',
    );
  });

  it('shows an error detail rather than counts, and flattens what the server sent into one printable line', () => {
    const report: ReceivedReport = {
      ...degraded,
      version: 'v2\x1b[2J',
      checks: { plugins: { status: 'error', total: 0, runnable: 0, detail: 'registry failed:\n\x1b[31mENOENT' } },
    };
    const text = formatTable(report, { color: false, url: URL });
    expect(text).not.toContain(ESC);
    expect(text).toContain('version: v2 [2J ');
    expect(text).toContain('plugins  error         -  registry failed: [31mENOENT\n');
  });

  it('shows "?" for a missing version or uptime instead of failing', () => {
    const bare: ReceivedReport = { status: 'degraded', checks: degraded.checks };
    expect(formatTable(bare, { color: false, url: URL })).toMatch(/^status: degraded {2}version: \? {2}uptime: \? /);
  });
});

describe('formatUptime', () => {
  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m 0s'],
    [3412, '56m 52s'],
    [3600, '1h 0m'],
    [86399, '23h 59m'],
    [90061, '1d 1h'],
    [-1, '?'],
    [Number.NaN, '?'],
    ['3412', '?'],
    [undefined, '?'],
  ])('%p → %s', (seconds, expected) => {
    expect(formatUptime(seconds)).toBe(expected);
  });
});
