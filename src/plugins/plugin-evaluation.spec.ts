import {
  countPlugins,
  evaluatePlugin,
  failureOf,
  groupMissing,
  InstalledNow,
  LoadedPlugin,
  PluginEvaluation,
} from './plugin-evaluation';

const now = (overrides: Partial<InstalledNow> = {}): InstalledNow => ({
  absentBinaries: new Set(),
  python: { state: 'checked', installed: new Set(['python-nmap', 'cryptography']) },
  system: { state: 'checked', installed: new Set(['perl']) },
  disabled: new Set(),
  ...overrides,
});

const plugin = (id: string, binary: string, deps: LoadedPlugin['manifest']['dependencies'] = {}): LoadedPlugin => ({
  folder: id,
  manifest: { id, name: id, engine: { type: 'cli', binary }, dependencies: deps },
});

function loaded(
  plugins: LoadedPlugin[],
  installed: InstalledNow,
  invalid = 0,
): Extract<PluginEvaluation, { loaded: true }> {
  return {
    loaded: true,
    dir: '/plugins',
    plugins: plugins.map((p) => evaluatePlugin(p, installed)),
    invalid: Array.from({ length: invalid }, (_, i) => ({
      folder: `bad${i}`,
      reason: 'metadata.json is not valid JSON',
    })),
    checkedAt: new Date(0),
  };
}

describe('evaluatePlugin', () => {
  const nmap = plugin('nmap', 'nmap', {
    binaries: ['nmap'],
    python_packages: ['Python_Nmap'],
    system_packages: ['perl', 'libpcap-dev'],
  });

  it('is runnable when every binary, distribution (PEP 503 names) and Debian package is there', () => {
    const installed = now({ system: { state: 'checked', installed: new Set(['perl', 'libpcap-dev']) } });
    expect(evaluatePlugin(nmap, installed)).toMatchObject({ state: 'runnable', missing: [], unverified: [] });
  });

  it('is blocked and lists each missing item once, binaries first', () => {
    const result = evaluatePlugin(
      nmap,
      now({ absentBinaries: new Set(['nmap']), python: { state: 'checked', installed: new Set() } }),
    );
    expect(result.state).toBe('blocked');
    expect(result.missing).toEqual([
      { kind: 'binary', name: 'nmap' },
      { kind: 'python_package', name: 'Python_Nmap' },
      { kind: 'system_package', name: 'libpcap-dev' },
    ]);
  });

  it('does not block on packages that cannot be verified, but lists them', () => {
    const result = evaluatePlugin(nmap, now({ system: { state: 'unverified', reason: 'no dpkg' } }));
    expect(result).toMatchObject({
      state: 'runnable',
      unverified: [
        { kind: 'system_package', name: 'perl' },
        { kind: 'system_package', name: 'libpcap-dev' },
      ],
    });
  });

  it('is disabled when listed, whatever is installed, and still shows what is missing', () => {
    const result = evaluatePlugin(nmap, now({ disabled: new Set(['nmap']), absentBinaries: new Set(['nmap']) }));
    expect(result.state).toBe('disabled');
    expect(result.missing).toContainEqual({ kind: 'binary', name: 'nmap' });
  });
});

describe('groupMissing, countPlugins and failureOf', () => {
  const plugins = [
    plugin('nmap', 'nmap'),
    plugin('masscan_sweep', 'masscan', { binaries: ['nmap'] }),
    plugin('nmap_vuln', 'nmap'),
    plugin('nuclei', 'nuclei'),
    plugin('nuclei_cves', 'nuclei'),
    plugin('sqlmap', 'sqlmap'),
    plugin('off', 'sqlmap'),
  ];
  const absent = new Set(['nmap', 'masscan', 'nuclei', 'sqlmap']);

  it('groups by item, most needed first, ignoring disabled plugins', () => {
    const groups = groupMissing(loaded(plugins, now({ absentBinaries: absent, disabled: new Set(['off']) })).plugins);
    expect(groups.map((g) => [g.name, g.plugins])).toEqual([
      ['nmap', ['masscan_sweep', 'nmap', 'nmap_vuln']],
      ['nuclei', ['nuclei', 'nuclei_cves']],
      ['masscan', ['masscan_sweep']],
      ['sqlmap', ['sqlmap']],
    ]);
  });

  it('fails when no enabled plugin can run, naming the most needed items', () => {
    const evaluation = loaded(plugins, now({ absentBinaries: absent, disabled: new Set(['off']) }));
    expect(countPlugins(evaluation)).toEqual({ total: 7, runnable: 0, blocked: 6, disabled: 1, invalid: 0 });
    expect(failureOf(evaluation)).toBe(
      '0 of 7 plugins runnable; missing nmap (3 plugins), nuclei (2), masscan (1), sqlmap (1)',
    );
  });

  it('passes when one plugin can run, when all are disabled, and for an empty folder', () => {
    expect(failureOf(loaded(plugins, now({ absentBinaries: new Set(['nmap']) })))).toBeUndefined();
    const ids = new Set(plugins.map((p) => p.manifest.id));
    expect(failureOf(loaded(plugins, now({ absentBinaries: absent, disabled: ids })))).toBeUndefined();
    expect(failureOf(loaded([], now()))).toBeUndefined();
  });

  it('fails when manifests exist but none is valid, and when the folder is unreadable', () => {
    expect(failureOf(loaded([], now(), 2))).toBe(
      'none of the 2 plugin manifests is valid (first: bad0: metadata.json is not valid JSON)',
    );
    expect(
      failureOf({ loaded: false, error: 'cannot read plugins directory /x: does not exist', checkedAt: new Date() }),
    ).toBe('cannot read plugins directory /x: does not exist');
  });

  it('names five items at most', () => {
    const many = Array.from({ length: 8 }, (_, i) => plugin(`p${i}`, `tool${i}`));
    const absentAll = new Set(many.map((p) => p.manifest.engine.binary ?? ''));
    expect(failureOf(loaded(many, now({ absentBinaries: absentAll })))).toMatch(/tool4 \(1\) and 3 more$/);
  });
});

describe('failureOf with hostile names', () => {
  it('escapes control characters from folder and binary names, so the detail stays one line', () => {
    const evil = plugin('evil', 'nmap\n\x1b[2J');
    const installed = now({ absentBinaries: new Set(['nmap\n\x1b[2J']) });
    expect(failureOf(loaded([evil], installed))).toBe('0 of 1 plugins runnable; missing nmap\\n\\x1b[2J (1 plugin)');
    const none: PluginEvaluation = {
      loaded: true,
      dir: '/p',
      plugins: [],
      invalid: [{ folder: 'a\nb', reason: 'metadata.json is not valid JSON' }],
      checkedAt: new Date(0),
    };
    expect(failureOf(none)).toBe(
      'none of the 1 plugin manifests is valid (first: a\\nb: metadata.json is not valid JSON)',
    );
  });
});
