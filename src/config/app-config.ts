import { ConfigErrors, ParseContext, parseGroups, SettingsGroup } from './settings';

export { ConfigError, ConfigErrors } from './settings';

/** Where the process writes its logs, which the environment alone does not say. */
export interface Terminal {
  /** Whether stdout is a terminal (not a pipe, a file or `docker logs`). */
  readonly stdoutIsTty: boolean;
}

/** Parsed settings, read by group. */
export interface SettingsReader {
  get<V extends object>(group: SettingsGroup<V>): V;
}

/** A part of the application that may bring settings of its own: a check. */
export interface ConfiguredPart {
  readonly settings?: SettingsGroup;
  /**
   * Whether the application runs this part under the parsed settings; always, when absent. A part that only makes
   * sense once configured (the replicas check, without `DATABASE_REPLICA_URLS`) answers no: its settings are still
   * validated and documented, but it is not loaded, and it is not in the report.
   */
  readonly enabled?: (settings: SettingsReader) => boolean;
}

/**
 * A rule between the settings of different parts (a value that must fit in what another part provides): the problem
 * in one line naming the variable to change, or `undefined`. Checked once every part's own settings parsed.
 */
export type ConfigRule = (config: AppConfig) => string | undefined;

/** What {@link parseConfig} parses the environment for. */
export interface ConfigParts<P extends ConfiguredPart> extends Partial<Terminal> {
  /** The settings of the application itself (listeners, access, logging, ...). */
  readonly settings: readonly SettingsGroup[];
  /** The checks of the report, in report order; each brings its own settings. */
  readonly checks: readonly P[];
  /** The rules between parts' settings. */
  readonly rules?: readonly ConfigRule[];
}

/**
 * The environment, parsed and validated once at boot, feature by feature: each feature declares its variables beside
 * its code ({@link SettingsGroup}) and reads its own values, injected under its group's token. Nothing else in the
 * code base reads `process.env`.
 */
export class AppConfig<P extends ConfiguredPart = ConfiguredPart> implements SettingsReader {
  private readonly groups: ReadonlyMap<SettingsGroup, object>;

  constructor(
    /** The checks this configuration was parsed for, in report order: the app built from it runs exactly these. */
    readonly checks: readonly P[],
    groups: ReadonlyMap<SettingsGroup, object>,
  ) {
    this.groups = groups;
    Object.freeze(this);
  }

  /** The parsed values of `group`; a group nobody declared to the parser is a programming error. */
  get<V extends object>(group: SettingsGroup<V>): V {
    const values = this.groups.get(group);
    if (!values) throw new Error(`the ${group.feature} settings were not parsed (is the feature registered?)`);
    return values as V;
  }

  /** Every parsed group with its values, keyed by group. */
  get groupValues(): ReadonlyMap<SettingsGroup, object> {
    return this.groups;
  }

  /** Every parsed group with its values: what Nest serves under the groups' tokens. */
  entries(): IterableIterator<[SettingsGroup, object]> {
    return this.groups.entries();
  }
}

/**
 * Parses the environment for the given parts, and keeps those of them that are enabled under it. Throws a {@link ConfigErrors} naming every bad variable, one line
 * each; `bootstrap.ts` prints them and exits before anything starts.
 */
export function parseConfig<P extends ConfiguredPart>(
  env: Readonly<Record<string, string | undefined>>,
  { settings, checks, rules = [], stdoutIsTty = false }: ConfigParts<P>,
): AppConfig<P> {
  const context: ParseContext = { env, stdoutIsTty };
  const groups = [...settings, ...checks.flatMap((check) => (check.settings ? [check.settings] : []))];
  const parsed = new AppConfig(checks, parseGroups(groups, context));
  const problems = rules.flatMap((rule) => rule(parsed) ?? []);
  if (problems.length) throw new ConfigErrors(problems);
  const enabled = checks.filter((check) => check.enabled?.(parsed) ?? true);
  return enabled.length === checks.length ? parsed : new AppConfig(enabled, parsed.groupValues);
}
