import type { HealthIndicatorResult, HealthIndicatorStatus } from '@nestjs/terminus';

/** The health+json component types a check may declare (the draft's registered values). */
export type ComponentType = 'component' | 'datastore' | 'system';

/** The JSON type of a field's value. */
export type CheckFieldType = 'integer' | 'number' | 'string' | 'boolean';

/** A field's value; `null` only for a `nullable` field whose value is unknown. */
export type CheckFieldValue = number | string | boolean | null;

/**
 * One extra value a check reports beside `status`, `latency_ms` and `detail`, e.g. the plugin registry's `total` or
 * the cache's `mode` or the database's `host`. Numbers and booleans also become metrics and health+json readings; strings are shown only.
 */
export interface CheckField {
  /** What the value means, for the API documentation. */
  readonly description: string;
  /** Its JSON type; default `integer` (a count). */
  readonly type?: CheckFieldType;
  /** A realistic value for the documented examples, of the field's type (`null` only for a nullable field). */
  readonly example: CheckFieldValue;
  /** May be `null`, when the value could not be measured (say when in the description). */
  readonly nullable?: boolean;
  /**
   * Its unit in UCUM, health+json's `observedUnit`: a count of things is `{thing}` (an annotated unity, as
   * OpenTelemetry writes counts, e.g. `{plugin}`). Default `1`, a plain number.
   */
  readonly unit?: string;
  /**
   * Present in every result, so a consumer never meets a missing field: a failed check that could not count (it
   * threw or timed out) reports it as 0. Otherwise a failed check reports it only when it still counted. For
   * `integer` fields only.
   */
  readonly always?: boolean;
}

/**
 * What a check is, declared by its indicator: everything the aggregator, the report, the OpenAPI document,
 * health+json and the metrics need to know about it. Nothing outside the indicator names a check.
 */
export interface CheckDefinition {
  /** Its key in the report's `checks`. */
  readonly key: string;
  /** A critical check that fails makes the service unhealthy (503); any other only degrades it. */
  readonly critical: boolean;
  /** How health+json classifies it. */
  readonly componentType: ComponentType;
  /** The aggregator gives up on the check after this long and reports a timeout. */
  readonly timeoutMs: number;
  /** What the check does, e.g. `database SELECT 1`: names the work in a timeout ("… timed out after 2000 ms"). */
  readonly operation: string;
  /** Prefix of the detail when the work fails, e.g. `database unreachable`. */
  readonly failure: string;
  /** One sentence for the API documentation. */
  readonly description: string;
  /** Extra values the check reports when it succeeds. */
  readonly fields?: Readonly<Record<string, CheckField>>;
  /** A list the check reports, one item per instance of what it checks (a replica), in ok and error results alike. */
  readonly items?: CheckItems;
  /** For the documented examples: a typical latency, and a typical failure with its latency. */
  readonly example: {
    readonly latencyMs: number;
    readonly failure: { readonly detail: string; readonly latencyMs: number };
  };
}

/**
 * A list of like items in a check's result, e.g. the replicas check's `hosts`: each item an object of the declared
 * fields. One item's values become metrics labelled by its `key` field, and health+json readings with that
 * `componentId`; an item's `status` field (`ok` | `error`, when declared) is its own up or down.
 */
export interface CheckItems {
  /** Its name in the result, e.g. `hosts`. */
  readonly name: string;
  /** What the list holds, for the API documentation. */
  readonly description: string;
  /** The string field that names an item, unique in the list, e.g. `host`. */
  readonly key: string;
  /** The fields of every item, each always present; their examples make the documented example item. */
  readonly fields: Readonly<Record<string, CheckField>>;
}

/** One item of a {@link CheckItems} list. */
export type CheckItem = Readonly<Record<string, CheckFieldValue>>;

/** The extra values an indicator adds to its result (its fields, its items), or the `detail` of a `down` result. */
export type CheckData = Readonly<Record<string, CheckFieldValue | readonly CheckItem[]>>;

/** What `check` answers: Terminus's `up` or `down` result under the check's key. */
export type IndicatorResult = HealthIndicatorResult<string, HealthIndicatorStatus, CheckData>;

/**
 * A check of one dependency, as a Nest provider built on Terminus's `HealthIndicatorService`: it declares what it
 * is and does only its I/O. `check` answers `up` (with its declared fields) or `down` (with a `detail`) under its
 * own key, or rejects when the I/O fails; it stops its work and frees what it holds when `signal` aborts. The
 * aggregator owns timing, the timeout, the wording of failures, redaction and the status rules.
 */
export interface HealthIndicator {
  readonly definition: CheckDefinition;
  check(signal: AbortSignal): Promise<IndicatorResult>;
  /**
   * Work the check needs once, done at the first evaluation rather than at boot (loading TypeORM, the plugin
   * registry's first scan and package lists); resolves once it is done. The first evaluation waits for every check's
   * before it runs any, outside their timeouts and latencies; it must settle by itself within a few seconds, and a
   * rejection counts as settled.
   */
  started?(): Promise<void>;
}
