import { isRecord } from '../common/is-record';
import { ExitCode } from './health-cli-judge';
import { printable } from './health-cli-text';

/** A requirement as received. */
export interface ReceivedRequirement {
  readonly kind: string;
  readonly name: string;
}

/** A missing item as received, with the plugins it blocks and its install lines. */
export interface ReceivedMissingItem extends ReceivedRequirement {
  readonly plugins: readonly string[];
  readonly install: Readonly<Record<string, string>>;
}

/** One plugin as received. */
export interface ReceivedPlugin {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly missing: readonly ReceivedRequirement[];
  readonly [field: string]: unknown;
}

/** A plugin diagnostics answer that passed validation. */
export interface ReceivedDiagnostics {
  readonly total: number;
  readonly runnable: number;
  readonly blocked: number;
  readonly disabled: number;
  readonly invalid: number;
  readonly missing: readonly ReceivedMissingItem[];
  readonly plugins: readonly ReceivedPlugin[];
  readonly invalid_manifests: readonly { readonly folder: string; readonly reason: string }[];
  readonly error: string | null;
  readonly [field: string]: unknown;
}

/** What one diagnostics answer means: the exit code, and the diagnostics or why the answer is unusable. */
export type PluginsVerdict =
  | { readonly exitCode: ExitCode; readonly diagnostics: ReceivedDiagnostics }
  | { readonly exitCode: ExitCode; readonly problem: string };

const COUNTS = ['total', 'runnable', 'blocked', 'disabled', 'invalid'] as const;

/**
 * Judges a plugin diagnostics answer: 0 when no enabled plugin is blocked, 1 when some are, 2 when the answer is
 * not a 200 with valid diagnostics or the registry itself failed (no plugin could be listed), since then nothing
 * can be said about what runs.
 */
export function judgePlugins(httpStatus: number, bodyText: string): PluginsVerdict {
  if (httpStatus !== 200) {
    return { exitCode: ExitCode.failure, problem: `HTTP ${httpStatus}, expected 200 with plugin diagnostics` };
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    const shown = bodyText.trim() ? `"${printable(bodyText).slice(0, 80)}"` : 'an empty body';
    return { exitCode: ExitCode.failure, problem: `HTTP 200 with ${shown}, not JSON` };
  }
  const invalid = whyInvalid(body);
  if (invalid) return { exitCode: ExitCode.failure, problem: `HTTP 200, ${invalid}` };
  const diagnostics = body as ReceivedDiagnostics;
  if (diagnostics.error !== null && diagnostics.total === 0) {
    return { exitCode: ExitCode.failure, diagnostics };
  }
  return { exitCode: diagnostics.blocked > 0 ? ExitCode.degraded : ExitCode.healthy, diagnostics };
}

const isString = (value: unknown): value is string => typeof value === 'string';

function isRequirement(value: unknown): boolean {
  return isRecord(value) && isString(value.kind) && isString(value.name);
}

function whyInvalid(body: unknown): string | undefined {
  if (!isRecord(body)) return 'the JSON is not an object';
  for (const count of COUNTS) {
    const value = body[count];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return `"${count}" is not a count`;
  }
  if (!(body.error === null || isString(body.error))) return '"error" is neither null nor a string';
  const { plugins, missing, invalid_manifests: invalidManifests } = body;
  if (!Array.isArray(plugins)) return '"plugins" is not a list';
  for (const plugin of plugins) {
    const ok =
      isRecord(plugin) &&
      isString(plugin.id) &&
      isString(plugin.name) &&
      isString(plugin.state) &&
      Array.isArray(plugin.missing) &&
      plugin.missing.every(isRequirement);
    if (!ok) return 'a plugin lacks an id, name, state or missing list';
  }
  if (!Array.isArray(missing)) return '"missing" is not a list';
  for (const item of missing) {
    const ok =
      isRequirement(item) &&
      isRecord(item) &&
      Array.isArray(item.plugins) &&
      item.plugins.every(isString) &&
      isRecord(item.install) &&
      Object.values(item.install).every(isString);
    if (!ok) return 'a missing item lacks its kind, name, plugins or install lines';
  }
  if (!Array.isArray(invalidManifests)) return '"invalid_manifests" is not a list';
  if (!invalidManifests.every((entry) => isRecord(entry) && isString(entry.folder) && isString(entry.reason))) {
    return 'an invalid manifest lacks its folder or reason';
  }
  return undefined;
}
