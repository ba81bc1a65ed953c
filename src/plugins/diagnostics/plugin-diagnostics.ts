import { EvaluatedPlugin, failureOf, groupMissing, PluginEvaluation, countPlugins } from '../plugin-evaluation';
import { installHints } from './install-catalogue';
import { PluginDetailDto, PluginDiagnosticsDto, PluginEntryDto } from './plugin-diagnostics.dto';

const built = new WeakMap<PluginEvaluation, PluginDiagnosticsDto>();

/**
 * The diagnostics answer for one evaluation: counts, what is missing grouped by item with install lines, every
 * plugin's state, the invalid manifests. Built once per evaluation (with thousands of plugins it is worth keeping
 * for the callers that poll between evaluations); the answer must not be changed by its users.
 */
export function toDiagnostics(evaluation: PluginEvaluation): PluginDiagnosticsDto {
  let answer = built.get(evaluation);
  if (!answer) built.set(evaluation, (answer = buildDiagnostics(evaluation)));
  return answer;
}

function buildDiagnostics(evaluation: PluginEvaluation): PluginDiagnosticsDto {
  const checked_at = evaluation.checkedAt.toISOString();
  const error = failureOf(evaluation) ?? null;
  if (!evaluation.loaded) {
    return {
      total: 0,
      runnable: 0,
      blocked: 0,
      disabled: 0,
      invalid: 0,
      missing: [],
      plugins: [],
      invalid_manifests: [],
      error,
      checked_at,
    };
  }
  return {
    ...countPlugins(evaluation),
    missing: groupMissing(evaluation.plugins).map((group) => ({
      kind: group.kind,
      name: group.name,
      plugins: [...group.plugins],
      install: installHints(group.kind, group.name),
    })),
    plugins: evaluation.plugins.map(toEntry),
    invalid_manifests: evaluation.invalid.map(({ folder, reason }) => ({ folder, reason })),
    error,
    checked_at,
  };
}

/** One plugin of the evaluation with install lines for what it lacks, or `undefined` for an unknown id. */
export function toPluginDetail(evaluation: PluginEvaluation, id: string): PluginDetailDto | undefined {
  if (!evaluation.loaded) return undefined;
  const plugin = evaluation.plugins.find((candidate) => candidate.manifest.id === id);
  if (!plugin) return undefined;
  return {
    ...toEntry(plugin),
    missing: plugin.missing.map(({ kind, name }) => ({ kind, name, install: installHints(kind, name) })),
  };
}

function toEntry({ manifest, state, missing, unverified }: EvaluatedPlugin): PluginEntryDto {
  return {
    id: manifest.id,
    name: manifest.name,
    version: manifest.version ?? null,
    ...(manifest.category === undefined ? {} : { category: manifest.category }),
    ...(manifest.description === undefined ? {} : { description: manifest.description }),
    state,
    missing: missing.map(({ kind, name }) => ({ kind, name })),
    unverified: unverified.map(({ kind, name }) => ({ kind, name })),
  };
}
