import { isRecord } from '../common/is-record';

/** How a scanner plugin is executed; decides which binaries must be installed for it to run. */
export type PluginEngineType = 'cli' | 'python' | 'docker';

/** What a plugin declares it needs besides its engine's binary. */
export interface PluginDependencies {
  binaries?: string[];
  python_packages?: string[];
  system_packages?: string[];
}

/**
 * The fields of `<PLUGINS_DIR>/<id>/metadata.json` the registry reads (SecuScan's manifest format); any other field
 * (`command_template`, `fields`, `safety`, `output`, ...) is allowed and ignored.
 */
export interface PluginManifest {
  id: string;
  name: string;
  version?: string;
  description?: string;
  category?: string;
  engine: { type: PluginEngineType; binary?: string };
  dependencies?: PluginDependencies;
}

/** Outcome of {@link parseManifest}: the manifest, or one line saying why it was rejected. */
export type ManifestParseResult = { ok: true; manifest: PluginManifest } | { ok: false; reason: string };

const ENGINE_TYPES: readonly PluginEngineType[] = ['cli', 'python', 'docker'];
const DEPENDENCY_LISTS = ['binaries', 'python_packages', 'system_packages'] as const;

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * The kind of a value, never the value itself: a manifest may be any file an attacker points a symlink at, and its
 * bytes must not reach a log line or an API answer.
 */
function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Binaries are looked up on PATH by name: a path would let a manifest point the check at any file. */
function binaryProblem(field: string, name: string): string | undefined {
  return name.includes('/') ? `"${field}" must be a program name looked up on PATH, not a path` : undefined;
}

function stringList(field: string, value: unknown): string[] | string {
  if (!(Array.isArray(value) && value.every(isNonEmptyString))) {
    return `"${field}" must be an array of non-empty strings (got ${kindOf(value)})`;
  }
  return value.map((item) => item.trim());
}

function optionalText(field: string, value: unknown): string | undefined {
  return value === undefined || typeof value === 'string'
    ? undefined
    : `"${field}" must be a string (got ${kindOf(value)})`;
}

function parseDependencies(value: unknown): PluginDependencies | string {
  if (!isRecord(value)) return `"dependencies" must be an object (got ${kindOf(value)})`;
  const dependencies: PluginDependencies = {};
  for (const list of DEPENDENCY_LISTS) {
    if (value[list] === undefined) continue;
    const items = stringList(`dependencies.${list}`, value[list]);
    if (typeof items === 'string') return items;
    if (list === 'binaries') {
      const problem = items.map((name) => binaryProblem('dependencies.binaries', name)).find(Boolean);
      if (problem) return problem;
    }
    dependencies[list] = items;
  }
  return dependencies;
}

/** Returns the reason `record` is not a valid manifest, or the manifest itself. */
function validate(record: Record<string, unknown>): PluginManifest | string {
  const { id, name, version, description, category, engine } = record;
  if (!isNonEmptyString(id)) return `"id" must be a non-empty string (got ${kindOf(id)})`;
  if (!isNonEmptyString(name)) return `"name" must be a non-empty string (got ${kindOf(name)})`;
  const textProblem =
    optionalText('version', version) ?? optionalText('description', description) ?? optionalText('category', category);
  if (textProblem) return textProblem;
  if (!isRecord(engine)) return `"engine" must be an object with a "type" (got ${kindOf(engine)})`;
  const type = engine.type;
  if (!ENGINE_TYPES.includes(type as PluginEngineType)) {
    return `"engine.type" must be one of ${ENGINE_TYPES.join(', ')} (got ${typeof type === 'string' ? 'another string' : kindOf(type)})`;
  }
  const binary = engine.binary;
  if (binary !== undefined && !isNonEmptyString(binary)) {
    return `"engine.binary" must be a non-empty string (got ${kindOf(binary)})`;
  }
  // Without a binary there is nothing to look up on PATH, so "runnable" could only be a guess: reject instead.
  if (type === 'cli' && binary === undefined) return 'a "cli" engine needs "engine.binary" (the executable to run)';
  const binaryIssue = binary === undefined ? undefined : binaryProblem('engine.binary', binary);
  if (binaryIssue) return binaryIssue;
  const dependencies = record.dependencies === undefined ? undefined : parseDependencies(record.dependencies);
  if (typeof dependencies === 'string') return dependencies;
  const texts = { version, description, category } as Record<string, string | undefined>;
  return {
    id: id.trim(),
    name,
    ...Object.fromEntries(Object.entries(texts).filter(([, value]) => value !== undefined)),
    engine: { type: type as PluginEngineType, ...(binary === undefined ? {} : { binary: binary.trim() }) },
    ...(dependencies === undefined ? {} : { dependencies }),
  };
}

/** A UTF-8 byte-order mark as decoded text: Windows editors (Notepad, PowerShell's `Out-File`) start files with it. */
const BYTE_ORDER_MARK = '\uFEFF';

/**
 * Parses and validates the text of one `metadata.json`. Pure; never throws. A leading byte-order mark is not part of
 * the JSON (RFC 8259 lets a parser ignore it; `JSON.parse` does not). The reason names the field at fault but never
 * quotes the text: `JSON.parse` messages echo the input, so they are dropped.
 */
export function parseManifest(text: string): ManifestParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text);
  } catch {
    return { ok: false, reason: 'metadata.json is not valid JSON' };
  }
  if (!isRecord(value)) return { ok: false, reason: `metadata.json must be a JSON object (got ${kindOf(value)})` };
  const result = validate(value);
  return typeof result === 'string'
    ? { ok: false, reason: `metadata.json: ${result}` }
    : { ok: true, manifest: result };
}

/**
 * The executables a plugin needs on `PATH`: `engine.binary` for a `cli` engine, plus every `dependencies.binaries`
 * entry, without duplicates, in that order.
 */
export function requiredBinaries(manifest: PluginManifest): string[] {
  const names = manifest.engine.type === 'cli' && manifest.engine.binary ? [manifest.engine.binary] : [];
  return [...new Set([...names, ...(manifest.dependencies?.binaries ?? [])])];
}
