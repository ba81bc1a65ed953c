import { parseWholeNumber } from '../common/whole-number';

/** A configuration value that cannot be used; its message is one line that names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Every unusable value of an environment, one line each, in declaration order. */
export class ConfigErrors extends ConfigError {
  override name = 'ConfigErrors';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** The environment, as `process.env` gives it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What a parser may know beyond the environment. */
export interface ParseContext {
  /** The whole environment, for a value whose meaning depends on another (`LOG_FORMAT` on `NODE_ENV`). */
  readonly env: Env;
  /** Whether stdout is a terminal (not a pipe, a file or `docker logs`). */
  readonly stdoutIsTty: boolean;
}

/** One environment variable: its name, its documented default and meaning, and how its text becomes a value. */
export interface Setting<T> {
  readonly name: string;
  /** The default as the configuration reference shows it. */
  readonly defaultText: string;
  /** One sentence for the configuration reference. */
  readonly description: string;
  /** Its value from `raw`, the trimmed text (`undefined` when unset or empty); throws a {@link ConfigError}. */
  readonly parse: (raw: string | undefined, context: ParseContext) => T;
}

/** Settings by the field name their values take. */
export type SettingMap = Readonly<Record<string, Setting<unknown>>>;

/** The parsed values of a {@link SettingMap}. */
export type ValuesOf<S extends SettingMap> = { readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never };

/**
 * The settings of one feature, declared beside its code. `finish` applies the rules that span several variables
 * and adds derived values; it runs only when every variable of the group parsed.
 */
export interface SettingsGroup<V extends object = object> {
  /** The feature, e.g. `database`: a heading of the configuration reference. */
  readonly feature: string;
  readonly settings: SettingMap;
  /** Where Nest serves the parsed values: `@Inject(GROUP.token)`. */
  readonly token: symbol;
  parse(context: ParseContext): V;
}

/** The values a {@link SettingsGroup} parses to. */
export type SettingsOf<G> = G extends SettingsGroup<infer V> ? V : never;

/** Declares a feature's settings. */
export function defineSettings<S extends SettingMap, V extends object = ValuesOf<S>>(
  feature: string,
  settings: S,
  finish?: (values: ValuesOf<S>, context: ParseContext) => V,
): SettingsGroup<V> {
  return {
    feature,
    settings,
    token: Symbol(`${feature} settings`),
    parse(context) {
      const values: Record<string, unknown> = {};
      const problems: string[] = [];
      for (const [field, setting] of Object.entries(settings)) {
        try {
          values[field] = setting.parse(readVariable(context.env, setting.name), context);
        } catch (error) {
          problems.push(messageOf(error));
        }
      }
      if (problems.length) throw new ConfigErrors(problems);
      const parsed = values as ValuesOf<S>;
      try {
        return Object.freeze(finish ? finish(parsed, context) : (parsed as unknown as V));
      } catch (error) {
        throw new ConfigErrors([messageOf(error)]);
      }
    },
  };
}

/**
 * Parses every group; throws one {@link ConfigErrors} naming every unusable variable of all of them, so an operator
 * fixes a bad environment in one round.
 */
export function parseGroups(
  groups: readonly SettingsGroup[],
  context: ParseContext,
): ReadonlyMap<SettingsGroup, object> {
  const parsed = new Map<SettingsGroup, object>();
  const problems: string[] = [];
  for (const group of groups) {
    if (parsed.has(group)) continue;
    try {
      parsed.set(group, group.parse(context));
    } catch (error) {
      problems.push(...(error instanceof ConfigErrors ? error.problems : [messageOf(error)]));
    }
  }
  if (problems.length) throw new ConfigErrors(problems);
  return parsed;
}

function messageOf(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  throw error;
}

/** Reads `name`, treating an empty string as unset so `FOO=` in a compose file means "use the default". */
function readVariable(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** `raw` shortened and with unprintable characters replaced, safe to echo in a one-line message. */
export function printable(raw: string): string {
  return raw.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
}

interface Described<D> {
  readonly default: D;
  readonly description: string;
}

/** A whole number from `min` to `max`; digits only. `default: undefined` makes it optional. */
export function integer<D extends number | undefined>(
  name: string,
  { default: fallback, description, min, max }: Described<D> & { readonly min: number; readonly max: number },
): Setting<number | D> {
  return {
    name,
    defaultText: fallback === undefined ? 'unset' : String(fallback),
    description,
    parse(raw) {
      if (raw === undefined) return fallback;
      const value = parseWholeNumber(raw, min, max);
      if (value === undefined)
        throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${printable(raw)}")`);
      return value;
    },
  };
}

/** One of `values`. */
export function oneOf<T extends string>(
  name: string,
  values: readonly T[],
  { default: fallback, description }: Described<T>,
): Setting<T> {
  return {
    name,
    defaultText: fallback,
    description,
    parse(raw = fallback) {
      const value = values.find((v) => v === raw);
      if (value === undefined) {
        throw new ConfigError(`${name} must be one of ${values.join(', ')} (got "${printable(raw)}")`);
      }
      return value;
    },
  };
}

/** `true` or `false`. */
export function flag(name: string, { default: fallback, description }: Described<boolean>): Setting<boolean> {
  const choice = oneOf(name, ['true', 'false'], { default: fallback ? 'true' : 'false', description });
  return { ...choice, parse: (raw, context) => choice.parse(raw, context) === 'true' };
}

/** Free text, checked by `check` (which answers what is wrong, or `undefined`); `default: undefined` makes it optional. */
export function text<D extends string | undefined>(
  name: string,
  {
    default: fallback,
    description,
    defaultText,
    check,
  }: Described<D> & { readonly defaultText?: string; readonly check?: (raw: string) => string | undefined },
): Setting<string | D> {
  return {
    name,
    defaultText: defaultText ?? fallback ?? 'unset',
    description,
    parse(raw) {
      if (raw === undefined) return fallback;
      const problem = check?.(raw);
      if (problem) throw new ConfigError(`${name} ${problem}`);
      return raw;
    },
  };
}

/** A comma-separated list; blank items are dropped. */
export function list(name: string, { description }: { readonly description: string }): Setting<ReadonlySet<string>> {
  return {
    name,
    defaultText: 'empty',
    description,
    parse: (raw = '') =>
      new Set(
        raw
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
  };
}

/** One group's values from `env` alone (stdout not a terminal): for a feature built without the whole app. */
export function settingsFrom<V extends object>(group: SettingsGroup<V>, env: Env): V {
  return group.parse({ env, stdoutIsTty: false });
}
