import { isRecord } from '../common/is-record';

/** How a scanner plugin is executed; decides which binaries must be installed for it to run. */
export type PluginEngineType = 'cli' | 'python' | 'docker';

/** The fields of `<PLUGINS_DIR>/<id>/metadata.json` the registry reads; any other field is allowed and ignored. */
export interface PluginManifest {
  id: string;
  name: string;
  version?: string;
  engine: { type: PluginEngineType; binary?: string };
  dependencies?: { binaries?: string[] };
}

/** Outcome of {@link parseManifest}: the manifest, or one line saying why it was rejected. */
export type ManifestParseResult = { ok: true; manifest: PluginManifest } | { ok: false; reason: string };

const ENGINE_TYPES: readonly PluginEngineType[] = ['cli', 'python', 'docker'];

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Returns the reason `record` is not a valid manifest, or the manifest itself. */
function validate(record: Record<string, unknown>): PluginManifest | string {
  const { id, name, version, engine, dependencies } = record;
  if (!isNonEmptyString(id)) return `"id" must be a non-empty string (got ${describeValue(id)})`;
  if (!isNonEmptyString(name)) return `"name" must be a non-empty string (got ${describeValue(name)})`;
  if (version !== undefined && typeof version !== 'string')
    return `"version" must be a string (got ${describeValue(version)})`;
  if (!isRecord(engine)) return `"engine" must be an object with a "type" (got ${describeValue(engine)})`;
  const type = engine.type;
  if (!ENGINE_TYPES.includes(type as PluginEngineType)) {
    return `"engine.type" must be one of ${ENGINE_TYPES.join(', ')} (got ${describeValue(type)})`;
  }
  const binary = engine.binary;
  if (binary !== undefined && !isNonEmptyString(binary)) {
    return `"engine.binary" must be a non-empty string (got ${describeValue(binary)})`;
  }
  // Without a binary there is nothing to look up on PATH, so "runnable" could only be a guess: reject instead.
  if (type === 'cli' && binary === undefined) return 'a "cli" engine needs "engine.binary" (the executable to run)';
  if (dependencies !== undefined && !isRecord(dependencies)) {
    return `"dependencies" must be an object (got ${describeValue(dependencies)})`;
  }
  const binaries = dependencies?.binaries;
  if (binaries !== undefined && !(Array.isArray(binaries) && binaries.every(isNonEmptyString))) {
    return `"dependencies.binaries" must be an array of non-empty strings (got ${JSON.stringify(binaries)})`;
  }
  return {
    id,
    name,
    ...(version === undefined ? {} : { version }),
    engine: { type: type as PluginEngineType, ...(binary === undefined ? {} : { binary }) },
    ...(dependencies === undefined ? {} : { dependencies: binaries === undefined ? {} : { binaries: [...binaries] } }),
  };
}

/**
 * Parses and validates the text of one `metadata.json`. Pure: `source` (usually the file path) only prefixes the
 * reason, so the warning a caller logs says which file to fix. Never throws.
 */
export function parseManifest(text: string, source: string): ManifestParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${source}: not valid JSON (${(error as Error).message})` };
  }
  if (!isRecord(value)) return { ok: false, reason: `${source}: must be a JSON object (got ${describeValue(value)})` };
  const result = validate(value);
  return typeof result === 'string' ? { ok: false, reason: `${source}: ${result}` } : { ok: true, manifest: result };
}

/**
 * The executables a plugin needs on `PATH`: `engine.binary` for a `cli` engine, plus every `dependencies.binaries`
 * entry, without duplicates, in that order.
 */
export function requiredBinaries(manifest: PluginManifest): string[] {
  const names = manifest.engine.type === 'cli' && manifest.engine.binary ? [manifest.engine.binary] : [];
  return [...new Set([...names, ...(manifest.dependencies?.binaries ?? [])])];
}
