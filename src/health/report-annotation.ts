import type { DynamicModule, Provider, Type } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';
import type { Observable } from 'rxjs';

/**
 * Something the application adds to the report beside the checks, such as an active maintenance window. The core
 * knows no feature: it asks each annotation for its value when it answers, so a value that changes (a window started
 * a moment ago, or just over) shows at once, whatever report the cache reuses. Only callers who may see details get
 * annotations: the status-only report keeps its documented shape.
 */
export interface ReportAnnotation<T extends object = object> {
  /** Its key in the report (`maintenance`); never one of the report's own fields. */
  readonly key: string;
  /** The value at `now` (epoch ms), or `undefined` to add nothing. Called on every detailed answer: answer from memory. */
  valueAt(now: number): T | undefined;
  /** The line a health+json answer carries in `notes` while there is a value. */
  noteOf(value: T): string;
  /** The value's OpenAPI schema, with a description, for the report's documentation. */
  readonly schema: SchemaObject;
  /**
   * Emits whenever the value changes (a window started, ended or over), so views that pushed the last report (the
   * event stream) can push it again at once instead of at the next evaluation, which a long cache TTL may delay.
   */
  readonly changes$?: Observable<unknown>;
}

/** An annotation as the application registers it: its class, and the feature module that provides it. */
export interface ReportAnnotationRegistration {
  readonly annotation: Type<ReportAnnotation>;
  /** The module that provides and exports the annotation; without one the health module provides it itself. */
  readonly module?: Type | DynamicModule;
}

/** What the annotations add to one answer: the report's extra keys and the health+json notes. */
export interface Annotations {
  readonly fields: Readonly<Record<string, object>>;
  readonly notes: readonly string[];
}

/** Injection token of the resolved annotations, in registration order. */
export const REPORT_ANNOTATIONS = Symbol('REPORT_ANNOTATIONS');

/** The report's own keys, which no annotation may take. */
const REPORT_KEYS: ReadonlySet<string> = new Set(['status', 'version', 'uptime_seconds', 'checks']);

/**
 * {@link REPORT_ANNOTATIONS} from the registrations. A key taken twice, or one of the report's own, is a programming
 * error and stops the start.
 */
export function provideReportAnnotations(registrations: readonly ReportAnnotationRegistration[]): Provider[] {
  const classes = registrations.map((registration) => registration.annotation);
  return [
    ...registrations.flatMap((registration) => (registration.module ? [] : [registration.annotation])),
    {
      provide: REPORT_ANNOTATIONS,
      inject: classes,
      useFactory: (...annotations: ReportAnnotation[]): readonly ReportAnnotation[] => {
        const keys = new Set(REPORT_KEYS);
        for (const { key } of annotations) {
          if (keys.has(key)) throw new Error(`report annotation "${key}" clashes with another key of the report`);
          keys.add(key);
        }
        return annotations;
      },
    },
  ];
}

/** What `annotations` add at `now`; `undefined` when none has a value (the common case, answered from cache). */
export function annotate(annotations: readonly ReportAnnotation[], now: number): Annotations | undefined {
  let result: { fields: Record<string, object>; notes: string[] } | undefined;
  for (const annotation of annotations) {
    const value = annotation.valueAt(now);
    if (value === undefined) continue;
    result ??= { fields: {}, notes: [] };
    result.fields[annotation.key] = value;
    result.notes.push(annotation.noteOf(value));
  }
  return result;
}
