import type { PluginDetailDto, PluginDiagnosticsDto } from './plugin-diagnostics.dto';

// Documented examples: what a machine with a few scanners installed answers.

const CHECKED_AT = '2026-11-25T12:00:00.000Z';

/** `GET /api/v1/health/plugins` on a machine missing nmap, with one plugin disabled and one broken manifest. */
export const DIAGNOSTICS_EXAMPLE: PluginDiagnosticsDto = {
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
      install: { apt: 'sudo apt-get install -y nmap', brew: 'brew install nmap', docs: 'https://nmap.org/download' },
    },
    {
      kind: 'python_package',
      name: 'python-nmap',
      plugins: ['nmap'],
      install: { apt: 'sudo apt-get install -y python3-nmap', pip: 'python3 -m pip install python-nmap' },
    },
  ],
  plugins: [
    {
      id: 'nmap',
      name: 'Network Scanning',
      version: '1.0.0',
      category: 'network',
      state: 'blocked',
      missing: [
        { kind: 'binary', name: 'nmap' },
        { kind: 'python_package', name: 'python-nmap' },
      ],
      unverified: [],
    },
    {
      id: 'whois_lookup',
      name: 'WHOIS Lookup',
      version: '1.0.0',
      category: 'recon',
      state: 'runnable',
      missing: [],
      unverified: [],
    },
    {
      id: 'zap_baseline',
      name: 'ZAP Baseline',
      version: '1.0.0',
      category: 'web',
      state: 'disabled',
      missing: [],
      unverified: [],
    },
  ],
  invalid_manifests: [{ folder: 'broken', reason: 'metadata.json is not valid JSON' }],
  error: null,
  checked_at: CHECKED_AT,
};

/** Nothing can run: the plugins check fails and the service is degraded. */
export const NOTHING_RUNNABLE_EXAMPLE: PluginDiagnosticsDto = {
  ...DIAGNOSTICS_EXAMPLE,
  runnable: 0,
  blocked: 2,
  plugins: DIAGNOSTICS_EXAMPLE.plugins.map((plugin) =>
    plugin.id === 'whois_lookup'
      ? { ...plugin, state: 'blocked', missing: [{ kind: 'binary', name: 'whois' }] }
      : plugin,
  ),
  missing: [
    ...DIAGNOSTICS_EXAMPLE.missing,
    {
      kind: 'binary',
      name: 'whois',
      plugins: ['whois_lookup'],
      install: { apt: 'sudo apt-get install -y whois', brew: 'brew install whois' },
    },
  ],
  error: '0 of 3 plugins runnable; missing nmap (1 plugin), python-nmap (1), whois (1)',
};

/** `GET /api/v1/health/plugins/nmap`. */
export const DETAIL_EXAMPLE: PluginDetailDto = {
  ...DIAGNOSTICS_EXAMPLE.plugins[0],
  missing: DIAGNOSTICS_EXAMPLE.missing.map(({ kind, name, install }) => ({ kind, name, install })),
};
