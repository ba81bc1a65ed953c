import { PluginManifest, parseManifest, requiredBinaries } from './plugin-manifest';

function parse(value: unknown): ReturnType<typeof parseManifest> {
  return parseManifest(JSON.stringify(value));
}

function reasonOf(value: unknown): string {
  const result = parse(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return result.reason;
}

const nmap = { id: 'nmap', name: 'Network Scanning', engine: { type: 'cli', binary: 'nmap' } };

describe('parseManifest', () => {
  it("reads SecuScan's fields and ignores the others", () => {
    const value = {
      ...nmap,
      version: '1.0.0',
      description: 'Port scanning',
      category: 'network',
      command_template: ['nmap', '{target}'],
      safety: { level: 'intrusive' },
      dependencies: { binaries: ['nmap'], python_packages: ['python-nmap'], system_packages: [] },
    };
    expect(parse(value)).toEqual({
      ok: true,
      manifest: {
        id: 'nmap',
        name: 'Network Scanning',
        version: '1.0.0',
        description: 'Port scanning',
        category: 'network',
        engine: { type: 'cli', binary: 'nmap' },
        dependencies: { binaries: ['nmap'], python_packages: ['python-nmap'], system_packages: [] },
      },
    });
  });

  it('accepts python and docker engines without a binary', () => {
    expect(parse({ id: 'a', name: 'A', engine: { type: 'python' } }).ok).toBe(true);
    expect(parse({ id: 'b', name: 'B', engine: { type: 'docker' }, dependencies: {} }).ok).toBe(true);
  });

  it('rejects text that is not JSON without quoting any of it', () => {
    const secret = 'root:$6$saltsalt$hashhash:19000:0:99999:7:::';
    expect(parseManifest(secret)).toEqual({ ok: false, reason: 'metadata.json is not valid JSON' });
  });

  it('takes a manifest that starts with a UTF-8 byte-order mark, as Windows editors write it', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(nmap))]);
    expect(parseManifest(withBom.toString('utf8'))).toEqual({ ok: true, manifest: nmap });
  });

  it('takes one byte-order mark only, and only at the start', () => {
    expect(parseManifest(`\uFEFF\uFEFF${JSON.stringify(nmap)}`)).toEqual({
      ok: false,
      reason: 'metadata.json is not valid JSON',
    });
    expect(parseManifest(` \uFEFF${JSON.stringify(nmap)}`)).toEqual({
      ok: false,
      reason: 'metadata.json is not valid JSON',
    });
  });

  it.each([
    ['an array', [nmap]],
    ['null', null],
    ['a string', 'nmap'],
    ['a number', 42],
  ])('rejects JSON that is not an object (%s)', (shown, value) => {
    expect(reasonOf(value)).toBe(`metadata.json must be a JSON object (got ${shown})`);
  });

  it.each([
    ['id', { ...nmap, id: undefined }],
    ['id', { ...nmap, id: '  ' }],
    ['id', { ...nmap, id: 7 }],
    ['name', { ...nmap, name: undefined }],
    ['name', { ...nmap, name: '' }],
  ])('rejects a missing or empty "%s"', (field, value) => {
    expect(reasonOf(value)).toMatch(new RegExp(`^metadata.json: "${field}" must be a non-empty string`));
  });

  it('rejects an unknown engine type without echoing it, and a missing engine', () => {
    expect(reasonOf({ ...nmap, engine: { type: 'wasm-secret' } })).toBe(
      'metadata.json: "engine.type" must be one of cli, python, docker (got another string)',
    );
    expect(reasonOf({ id: 'a', name: 'A' })).toMatch(/"engine" must be an object/);
  });

  it('rejects a cli engine without a binary, saying which field is needed', () => {
    expect(reasonOf({ ...nmap, engine: { type: 'cli' } })).toBe(
      'metadata.json: a "cli" engine needs "engine.binary" (the executable to run)',
    );
  });

  it.each([
    ['engine.binary', { ...nmap, engine: { type: 'cli', binary: '/usr/bin/nmap' } }],
    ['engine.binary', { ...nmap, engine: { type: 'docker', binary: 'bin/docker' } }],
    ['dependencies.binaries', { ...nmap, dependencies: { binaries: ['nmap', '../bin/python3'] } }],
  ])('rejects a binary named by a path in "%s"', (field, value) => {
    expect(reasonOf(value)).toBe(`metadata.json: "${field}" must be a program name looked up on PATH, not a path`);
  });

  it.each([
    ['engine.binary', { ...nmap, engine: { type: 'cli', binary: 5 } }],
    ['engine.binary', { ...nmap, engine: { type: 'docker', binary: '' } }],
    ['dependencies.binaries', { ...nmap, dependencies: { binaries: 'python3' } }],
    ['dependencies.binaries', { ...nmap, dependencies: { binaries: ['python3', 3] } }],
    ['dependencies.python_packages', { ...nmap, dependencies: { python_packages: [''] } }],
    ['dependencies.system_packages', { ...nmap, dependencies: { system_packages: {} } }],
    ['dependencies', { ...nmap, dependencies: ['python3'] }],
    ['version', { ...nmap, version: 1 }],
    ['description', { ...nmap, description: ['x'] }],
    ['category', { ...nmap, category: null }],
  ])('rejects a wrong-typed optional "%s"', (field, value) => {
    expect(reasonOf(value)).toMatch(new RegExp(`^metadata.json: "${field}" must be`));
  });
});

describe('requiredBinaries', () => {
  const manifest = (engine: PluginManifest['engine'], binaries?: string[]): PluginManifest => ({
    id: 'p',
    name: 'P',
    engine,
    ...(binaries ? { dependencies: { binaries } } : {}),
  });

  it('is the cli binary followed by the dependency binaries, without duplicates', () => {
    expect(
      requiredBinaries(manifest({ type: 'cli', binary: 'testssl.sh' }, ['openssl', 'testssl.sh', 'openssl'])),
    ).toEqual(['testssl.sh', 'openssl']);
  });

  it('ignores engine.binary for python and docker engines', () => {
    expect(requiredBinaries(manifest({ type: 'python', binary: 'sslyze' }, ['python3']))).toEqual(['python3']);
    expect(requiredBinaries(manifest({ type: 'docker' }))).toEqual([]);
  });
});
