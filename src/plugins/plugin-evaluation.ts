import { escapeControl } from '../logging/escape-control';
import type { RequirementKind } from './diagnostics/install-catalogue';
import { normalizeDistribution, type PackageInventory } from './package-inventory';
import { PluginManifest, requiredBinaries } from './plugin-manifest';

/** One thing a plugin needs: an executable on PATH, a Python distribution or a Debian package. */
export interface Requirement {
  readonly kind: RequirementKind;
  readonly name: string;
}

/** `runnable`: enabled, everything found; `blocked`: enabled, something missing; `disabled`: in DISABLED_PLUGINS. */
export type PluginState = 'runnable' | 'blocked' | 'disabled';

/** A valid manifest and the folder it came from. */
export interface LoadedPlugin {
  readonly folder: string;
  readonly manifest: PluginManifest;
}

/** A folder whose manifest was skipped, and why (never quoting the file). */
export interface InvalidManifest {
  readonly folder: string;
  readonly reason: string;
}

/** One plugin after an evaluation. `unverified` items could not be checked (no dpkg) and do not block. */
export interface EvaluatedPlugin {
  readonly folder: string;
  readonly manifest: PluginManifest;
  readonly state: PluginState;
  readonly missing: readonly Requirement[];
  readonly unverified: readonly Requirement[];
}

/** The registry at one moment: every plugin's state, or why the folder could not be read. */
export type PluginEvaluation =
  | {
      readonly loaded: true;
      readonly dir: string;
      readonly plugins: readonly EvaluatedPlugin[];
      readonly invalid: readonly InvalidManifest[];
      readonly checkedAt: Date;
    }
  | { readonly loaded: false; readonly error: string; readonly checkedAt: Date };

/** What is known right now about what is installed. */
export interface InstalledNow {
  /** Binaries (of those asked for) not found on PATH. */
  readonly absentBinaries: ReadonlySet<string>;
  readonly python: PackageInventory;
  readonly system: PackageInventory;
  readonly disabled: ReadonlySet<string>;
}

const requirementCache = new WeakMap<PluginManifest, readonly Requirement[]>();

/**
 * Every requirement of a plugin, binaries first (engine binary, then dependencies), each once. Remembered per
 * manifest object (manifests are never changed once read): evaluations run often and over thousands of plugins.
 */
export function requirementsOf(manifest: PluginManifest): readonly Requirement[] {
  const cached = requirementCache.get(manifest);
  if (cached) return cached;
  const deps = manifest.dependencies ?? {};
  const requirements: readonly Requirement[] = Object.freeze([
    ...requiredBinaries(manifest).map((name) => Object.freeze({ kind: 'binary' as const, name })),
    ...[...new Set(deps.python_packages ?? [])].map((name) => Object.freeze({ kind: 'python_package' as const, name })),
    ...[...new Set(deps.system_packages ?? [])].map((name) => Object.freeze({ kind: 'system_package' as const, name })),
  ]);
  requirementCache.set(manifest, requirements);
  return requirements;
}

/** Found, missing, or impossible to tell, for one requirement. */
function presence(requirement: Requirement, now: InstalledNow): 'found' | 'missing' | 'unverified' {
  switch (requirement.kind) {
    case 'binary':
      return now.absentBinaries.has(requirement.name) ? 'missing' : 'found';
    case 'python_package':
      if (now.python.state === 'unverified') return 'unverified';
      return now.python.installed.has(normalizeDistribution(requirement.name)) ? 'found' : 'missing';
    case 'system_package':
      if (now.system.state === 'unverified') return 'unverified';
      return now.system.installed.has(requirement.name.trim().toLowerCase()) ? 'found' : 'missing';
  }
}

/** The state of one plugin given what is installed now. Pure. */
export function evaluatePlugin(plugin: LoadedPlugin, now: InstalledNow): EvaluatedPlugin {
  const missing: Requirement[] = [];
  const unverified: Requirement[] = [];
  for (const requirement of requirementsOf(plugin.manifest)) {
    const found = presence(requirement, now);
    if (found === 'missing') missing.push(requirement);
    else if (found === 'unverified') unverified.push(requirement);
  }
  const state: PluginState = now.disabled.has(plugin.manifest.id)
    ? 'disabled'
    : missing.length
      ? 'blocked'
      : 'runnable';
  return { folder: plugin.folder, manifest: plugin.manifest, state, missing, unverified };
}

/** The counts the health check reports. */
export interface PluginCounts {
  readonly total: number;
  readonly runnable: number;
  readonly blocked: number;
  readonly disabled: number;
  readonly invalid: number;
}

/** Counts per state, and the invalid manifests. */
export function countPlugins(evaluation: Extract<PluginEvaluation, { loaded: true }>): PluginCounts {
  const count = (state: PluginState) => evaluation.plugins.filter((plugin) => plugin.state === state).length;
  return {
    total: evaluation.plugins.length,
    runnable: count('runnable'),
    blocked: count('blocked'),
    disabled: count('disabled'),
    invalid: evaluation.invalid.length,
  };
}

/** A missing item and the blocked plugins that need it. */
export interface MissingGroup extends Requirement {
  readonly plugins: readonly string[];
}

/**
 * The items missing for enabled plugins, grouped by item, most needed first (ties by kind then name, so the order
 * is stable); each lists the ids of the plugins it blocks, sorted. Disabled plugins need nothing fixed.
 */
export function groupMissing(plugins: readonly EvaluatedPlugin[]): MissingGroup[] {
  const groups = new Map<string, { kind: Requirement['kind']; name: string; plugins: string[] }>();
  for (const plugin of plugins) {
    if (plugin.state !== 'blocked') continue;
    for (const { kind, name } of plugin.missing) {
      const key = `${kind}\u0000${name}`;
      const group = groups.get(key) ?? { kind, name, plugins: [] };
      group.plugins.push(plugin.manifest.id);
      groups.set(key, group);
    }
  }
  const order: Record<Requirement['kind'], number> = { binary: 0, python_package: 1, system_package: 2 };
  return [...groups.values()]
    .map((group) => ({ ...group, plugins: group.plugins.sort() }))
    .sort(
      (a, b) =>
        b.plugins.length - a.plugins.length ||
        order[a.kind] - order[b.kind] ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

/** How many missing items the health detail names before summarising the rest. */
const DETAIL_ITEMS = 5;

/**
 * Why the plugins check fails (one line, control characters escaped), or `undefined` when it passes: the folder could not be read; it holds manifests but
 * none is valid; or no enabled plugin can run (then naming the most needed missing items). An empty folder, or one
 * whose every plugin is disabled, is the operator's choice and passes.
 */
export function failureOf(evaluation: PluginEvaluation): string | undefined {
  if (!evaluation.loaded) return evaluation.error;
  const counts = countPlugins(evaluation);
  if (counts.total === 0 && counts.invalid > 0) {
    return escapeControl(
      `none of the ${counts.invalid} plugin manifests is valid (first: ${evaluation.invalid[0].folder}: ${evaluation.invalid[0].reason})`,
    );
  }
  if (counts.runnable > 0 || counts.blocked === 0) return undefined;
  const groups = groupMissing(evaluation.plugins);
  const named = groups
    .slice(0, DETAIL_ITEMS)
    .map(
      (group, i) =>
        `${group.name} (${group.plugins.length}${i === 0 ? (group.plugins.length === 1 ? ' plugin' : ' plugins') : ''})`,
    );
  const more = groups.length > DETAIL_ITEMS ? ` and ${groups.length - DETAIL_ITEMS} more` : '';
  // Names come from manifests anyone may write: the detail stays one line, whoever shows it.
  return escapeControl(`${counts.runnable} of ${counts.total} plugins runnable; missing ${named.join(', ')}${more}`);
}
