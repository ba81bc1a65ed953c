import { HealthJsonCheckDto, HealthJsonDto, HealthJsonStatus } from './dto/health-json.dto';
import { HealthReportDto } from './dto/health-report.dto';
import { failingChecks } from './health-checker';
import type { CheckDefinition } from './health-indicator';
import { OverallStatus } from './health-status';

/** The media type of the IETF "Health Check Response Format for HTTP APIs" draft. */
export const HEALTH_JSON = 'application/health+json';

const HEALTH_JSON_STATUS: Readonly<Record<OverallStatus, HealthJsonStatus>> = {
  healthy: 'pass',
  degraded: 'warn',
  unhealthy: 'fail',
};

/** An overall status in health+json: `healthy`, `degraded`, `unhealthy` are `pass`, `warn`, `fail`. */
export function healthJsonStatusOf(status: OverallStatus): HealthJsonStatus {
  return HEALTH_JSON_STATUS[status];
}

/** The note of an answer given during the shutdown drain. */
export const SHUTTING_DOWN_NOTE =
  'shutting down: this instance no longer takes traffic (readiness answers 503) and closes after the drain delay';

/** Where the documentation lives, relative to the origin (beside the `/api/v1` prefix). */
const DOCS_PATH = '/api/docs';

/**
 * The links of a detailed health+json answer: `about` the API documentation and `self` the report at `selfPath`,
 * absolute under `publicUrl` (`HEALTH_PUBLIC_URL`) when it is set, else relative to the origin the client used. Never
 * from the request's `Host`, which a DNS-rebinding page or any client chooses.
 */
export function healthJsonLinks(publicUrl: string | undefined, selfPath: string): Readonly<Record<string, string>> {
  const base = publicUrl ?? '';
  return { about: `${base}${DOCS_PATH}`, self: `${base}${selfPath}` };
}

/** What one answer adds to the evaluation's health+json. */
export interface HealthJsonAnswer {
  /** The related resources ({@link healthJsonLinks}); omitted from status-only answers. */
  readonly links?: Readonly<Record<string, string>>;
  /** True from the shutdown signal on. */
  readonly shuttingDown: boolean;
  /** Notes the application adds (a maintenance window), after the drain's. */
  readonly notes?: readonly string[];
}

/**
 * Renders a report in the health+json draft: `healthy`/`degraded`/`unhealthy` become `pass`/`warn`/`fail`. A check
 * that succeeded becomes `<key>:responseTime` (its latency in ms) plus `<key>:<field>` for each number it declares
 * (with the field's UCUM unit): one key per measurement, since `componentId` names an instance, not a measurement.
 * A check that failed becomes one `fail` entry with its detail as `output` and no reading, since a refused
 * connection or a timeout measured nothing. Component types come from the checks' definitions. `output` is only
 * there when something failed; the links depend on the request and are added by {@link answerHealthJson}.
 */
export function toHealthJson(
  report: HealthReportDto,
  definitions: readonly CheckDefinition[],
  evaluatedAt: Date,
): HealthJsonDto {
  const time = evaluatedAt.toISOString();
  const checks: Record<string, HealthJsonCheckDto[]> = {};
  for (const definition of definitions) {
    const check = report.checks[definition.key];
    if (!check) continue;
    const componentType = definition.componentType;
    if (definition.items) Object.assign(checks, itemReadings(definition, check, time));
    if (check.status === 'error') {
      checks[`${definition.key}:responseTime`] = [
        { componentType, status: 'fail', time, ...(check.detail ? { output: check.detail } : {}) },
      ];
      continue;
    }
    checks[`${definition.key}:responseTime`] = [
      { componentType, status: 'pass', time, observedValue: check.latency_ms, observedUnit: 'ms' },
    ];
    for (const [field, { unit = '1' }] of Object.entries(definition.fields ?? {})) {
      const value = check[field];
      if (typeof value === 'number') {
        checks[`${definition.key}:${field}`] = [
          { componentType, status: 'pass', time, observedValue: value, observedUnit: unit },
        ];
      }
    }
  }
  const failing = failingChecks(report.checks);
  return {
    status: healthJsonStatusOf(report.status),
    version: report.version,
    serviceId: 'secuscan-health',
    description: 'health of the SecuScan scanner and its dependencies',
    ...(failing.length ? { output: failing.join('; ') } : {}),
    checks,
  };
}

/**
 * The readings of a check's list: `<key>:<field>` for each number its items declare, one entry per item with the
 * item's name as `componentId` (the draft's way to tell instances apart) and the item's own status; an item that
 * could not be measured has no `observedValue`, and its `detail` as `output`.
 */
function itemReadings(
  definition: CheckDefinition,
  check: HealthReportDto['checks'][string],
  time: string,
): Record<string, HealthJsonCheckDto[]> {
  const { items, componentType } = definition;
  const list = items ? check[items.name] : undefined;
  if (!items || !Array.isArray(list)) return {};
  const readings: Record<string, HealthJsonCheckDto[]> = {};
  for (const [field, { type = 'integer', unit = '1' }] of Object.entries(items.fields)) {
    if (type !== 'integer' && type !== 'number') continue;
    readings[`${definition.key}:${field}`] = (list as Array<Record<string, unknown>>).map((item) => {
      const value = item[field];
      const status: HealthJsonStatus = item.status === 'error' ? 'fail' : 'pass';
      return {
        componentId: String(item[items.key]),
        componentType,
        status,
        time,
        ...(typeof value === 'number' ? { observedValue: value, observedUnit: unit } : {}),
        ...(typeof item.detail === 'string' && item.detail ? { output: item.detail } : {}),
      };
    });
  }
  return readings;
}

/**
 * The evaluation's health+json as one request gets it: with absolute links, the notes of the annotations (a
 * maintenance window: the status is left as it is), and during the shutdown drain with a note and `pass` turned into
 * `warn` (still 200: the dependencies are fine, but this instance is going away, which the draft's "healthy, with
 * some concerns" describes). `fail` stays `fail`.
 */
export function answerHealthJson<T extends { readonly status: HealthJsonStatus }>(
  json: T,
  { links, shuttingDown, notes = [] }: HealthJsonAnswer,
): T & Pick<HealthJsonDto, 'notes' | 'links'> {
  const allNotes = [...(shuttingDown ? [SHUTTING_DOWN_NOTE] : []), ...notes];
  return {
    ...json,
    ...(shuttingDown ? { status: json.status === 'pass' ? 'warn' : json.status } : {}),
    ...(allNotes.length ? { notes: allNotes } : {}),
    ...(links ? { links: { ...links } } : {}),
  };
}
