import { PluginManifest, parseManifest, requiredBinaries } from './plugin-manifest';

const SOURCE = 'plugins/x/metadata.json';

function parse(value: unknown): ReturnType<typeof parseManifest> {
  return parseManifest(JSON.stringify(value), SOURCE);
}

function reasonOf(value: unknown): string {
  const result = parse(value);
  if (result.ok) throw new Error(`expected ${JSON.stringify(value)} to be rejected`);
  return result.reason;
}

const nmap = { id: 'nmap', name: 'Nmap', engine: { type: 'cli', binary: 'nmap' } };

describe('parseManifest', () => {
  it('accepts a valid manifest, keeps the fields it reads and drops the others', () => {
    const value = { ...nmap, version: '1.0.0', description: 'ignored', dependencies: { binaries: ['perl'] } };
    expect(parse(value)).toEqual({
      ok: true,
      manifest: {
        id: 'nmap',
        name: 'Nmap',
        version: '1.0.0',
        engine: { type: 'cli', binary: 'nmap' },
        dependencies: { binaries: ['perl'] },
      },
    });
  });

  it('accepts python and docker engines without a binary', () => {
    expect(parse({ id: 'a', name: 'A', engine: { type: 'python' } }).ok).toBe(true);
    expect(parse({ id: 'b', name: 'B', engine: { type: 'docker' }, dependencies: {} }).ok).toBe(true);
  });

  it('rejects text that is not JSON, naming the source', () => {
    const result = parseManifest('{ "id": "nmap", ', SOURCE);
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(`${SOURCE}: not valid JSON`) });
  });

  it.each([
    ['an array', [nmap]],
    ['null', null],
    ['string "nmap"', 'nmap'],
    ['number 42', 42],
  ])('rejects JSON that is not an object (%s)', (shown, value) => {
    expect(reasonOf(value)).toBe(`${SOURCE}: must be a JSON object (got ${shown})`);
  });

  it.each([
    ['id', { ...nmap, id: undefined }],
    ['id', { ...nmap, id: '  ' }],
    ['id', { ...nmap, id: 7 }],
    ['name', { ...nmap, name: undefined }],
    ['name', { ...nmap, name: '' }],
  ])('rejects a missing or empty "%s"', (field, value) => {
    expect(reasonOf(value)).toMatch(new RegExp(`^${SOURCE}: "${field}" must be a non-empty string`));
  });

  it('rejects an unknown engine type and a missing engine', () => {
    expect(reasonOf({ ...nmap, engine: { type: 'wasm' } })).toBe(
      `${SOURCE}: "engine.type" must be one of cli, python, docker (got string "wasm")`,
    );
    expect(reasonOf({ id: 'a', name: 'A' })).toMatch(/"engine" must be an object/);
  });

  it('rejects a cli engine without a binary, saying which field is needed', () => {
    expect(reasonOf({ ...nmap, engine: { type: 'cli' } })).toBe(
      `${SOURCE}: a "cli" engine needs "engine.binary" (the executable to run)`,
    );
  });

  it.each([
    ['engine.binary', { ...nmap, engine: { type: 'cli', binary: 5 } }],
    ['engine.binary', { ...nmap, engine: { type: 'docker', binary: '' } }],
    ['dependencies.binaries', { ...nmap, dependencies: { binaries: 'python3' } }],
    ['dependencies.binaries', { ...nmap, dependencies: { binaries: ['python3', 3] } }],
    ['dependencies.binaries', { ...nmap, dependencies: { binaries: [''] } }],
    ['dependencies', { ...nmap, dependencies: ['python3'] }],
    ['version', { ...nmap, version: 1 }],
  ])('rejects a wrong-typed optional "%s"', (field, value) => {
    expect(reasonOf(value)).toMatch(new RegExp(`^${SOURCE}: "${field}" must be`));
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

  it('is only the cli binary when there are no dependencies', () => {
    expect(requiredBinaries(manifest({ type: 'cli', binary: 'nmap' }))).toEqual(['nmap']);
  });
});
