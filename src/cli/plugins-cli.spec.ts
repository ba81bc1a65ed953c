import { parseArgs } from './health-cli-args';
import { judgePlugins, ReceivedDiagnostics } from './plugins-cli-judge';
import { formatPluginsTable } from './plugins-cli-table';

const diagnostics: ReceivedDiagnostics = {
  total: 3,
  runnable: 1,
  blocked: 1,
  disabled: 1,
  invalid: 1,
  missing: [
    {
      kind: 'binary',
      name: 'nmap',
      plugins: ['nmap'],
      install: { docs: 'https://nmap.org/download', apt: 'sudo apt-get install -y nmap' },
    },
    {
      kind: 'python_package',
      name: 'python-nmap',
      plugins: ['nmap'],
      install: { pip: 'python3 -m pip install python-nmap' },
    },
  ],
  plugins: [
    {
      id: 'nmap',
      name: 'Network Scanning',
      state: 'blocked',
      missing: [
        { kind: 'binary', name: 'nmap' },
        { kind: 'python_package', name: 'python-nmap' },
      ],
    },
    { id: 'whois_lookup', name: 'WHOIS\x1b[31m Lookup', state: 'runnable', missing: [] },
    { id: 'zap', name: 'ZAP', state: 'disabled', missing: [] },
  ],
  invalid_manifests: [{ folder: 'broken', reason: 'metadata.json is not valid JSON' }],
  error: null,
  checked_at: '2026-11-25T12:00:00.000Z',
};

describe('secuscan-health plugins: arguments', () => {
  it('defaults to the diagnostics route and accepts --state', () => {
    expect(parseArgs(['plugins'], { PORT: '8080' })).toEqual({
      kind: 'plugins',
      options: { url: 'http://127.0.0.1:8080/api/v1/health/plugins', json: false, timeoutMs: 5000 },
    });
    expect(parseArgs(['plugins', '--state=blocked', '--json'], {})).toMatchObject({
      kind: 'plugins',
      options: { state: 'blocked', json: true },
    });
  });

  it('rejects an unknown state, and --state without "plugins"', () => {
    expect(parseArgs(['plugins', '--state', 'broken'], {})).toEqual({
      kind: 'usage-error',
      message: '--state must be one of runnable, blocked, disabled (got "broken") (see --help)',
    });
    expect(parseArgs(['--state', 'blocked'], {})).toMatchObject({ kind: 'usage-error' });
  });
});

describe('judgePlugins', () => {
  const judge = (value: unknown, status = 200) => judgePlugins(status, JSON.stringify(value));

  it('exits 1 when an enabled plugin is blocked, 0 when none is', () => {
    expect(judge(diagnostics).exitCode).toBe(1);
    const allGood = { ...diagnostics, blocked: 0, missing: [], plugins: diagnostics.plugins.slice(1) };
    expect(judge(allGood).exitCode).toBe(0);
  });

  it('exits 2 when the registry failed, for another HTTP code, and for a malformed body', () => {
    const failed = { ...diagnostics, total: 0, runnable: 0, blocked: 0, disabled: 0, plugins: [], missing: [] };
    expect(judge({ ...failed, error: 'cannot read plugins directory /x: does not exist' }).exitCode).toBe(2);
    expect(judge(diagnostics, 404)).toEqual({ exitCode: 2, problem: 'HTTP 404, expected 200 with plugin diagnostics' });
    expect(judgePlugins(200, 'nope')).toEqual({ exitCode: 2, problem: 'HTTP 200 with "nope", not JSON' });
    expect(judge({ ...diagnostics, blocked: -1 })).toEqual({
      exitCode: 2,
      problem: 'HTTP 200, "blocked" is not a count',
    });
    expect(judge({ ...diagnostics, plugins: [{ id: 'x' }] })).toMatchObject({ exitCode: 2 });
    expect(judge({ ...diagnostics, missing: [{ kind: 'binary', name: 'x', plugins: [] }] })).toMatchObject({
      exitCode: 2,
    });
  });
});

describe('formatPluginsTable', () => {
  it('prints the counts, one row per plugin, the invalid manifests and the install lines, without escapes', () => {
    expect(formatPluginsTable(diagnostics, { color: false, url: 'http://h/api/v1/health/plugins' })).toBe(
      [
        'plugins: 3 total, 1 runnable, 1 blocked, 1 disabled, 1 invalid  checked: 2026-11-25T12:00:00.000Z  ' +
          'url: http://h/api/v1/health/plugins',
        '',
        'PLUGIN        STATE     NAME               MISSING',
        'nmap          blocked   Network Scanning   nmap, python-nmap (Python package)',
        'whois_lookup  runnable  WHOIS [31m Lookup  -',
        'zap           disabled  ZAP                -',
        '',
        'Invalid manifests:',
        '  broken: metadata.json is not valid JSON',
        '',
        'To fix:',
        '  nmap: blocks 1 plugin (nmap)',
        '      apt: sudo apt-get install -y nmap',
        '      docs: https://nmap.org/download',
        '  python-nmap (Python package): blocks 1 plugin (nmap)',
        '      pip: python3 -m pip install python-nmap',
        '',
      ].join('\n'),
    );
  });

  it('says "checked: ?" for a service that does not say when it checked', () => {
    const { checked_at: _omitted, ...older } = diagnostics;
    expect(formatPluginsTable(older, { color: false, url: 'u' })).toMatch(/^plugins: .* checked: \? {2}url: u\n/);
  });

  it('filters rows by state but keeps the counts and the "to fix" list, and colours states on request', () => {
    const text = formatPluginsTable(diagnostics, { color: true, url: 'u', state: 'runnable' });
    expect(text).toContain('\x1b[32mrunnable\x1b[0m');
    expect(text).not.toMatch(/^nmap /m);
    expect(text).toContain('To fix:');
    expect(formatPluginsTable(diagnostics, { color: false, url: 'u', state: 'disabled' })).toMatch(/^zap +disabled/m);
  });
});
