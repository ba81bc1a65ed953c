import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import type { HealthReportDto } from './dto/health-report.dto';
import { ReadinessDto } from './dto/probe-answers.dto';
import { failingCheckNames } from './health-checker';
import { exampleReports } from './health-examples';
import type { CheckDefinition } from './health-indicator';
import { HEALTH_JSON } from './health-json';
import { summarize, summarizeHealthJson } from './health-summary';

const REPORT = '/api/v1/health';
const READY = '/api/v1/health/ready';
const STATUS_ONLY = 'HealthStatusOnly';
const HEALTH_JSON_STATUS_ONLY = 'HealthJsonStatusOnly';
const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** Where the full report's description stops and its list of checks (with their timeouts) begins. */
const CHECKS_LIST = '\n\nChecks:\n';

/** Said of the report in the document such a caller gets. */
const STATUS_ONLY_NOTE =
  'This document is the one such a caller gets: the schemas and examples here are those of the statuses-only answer.';

/**
 * Rewrites, in a copy of the document being built for a caller who may not see details, what the report and
 * readiness operations say: the report's schemas and examples become the statuses only (no version, uptime, latency,
 * counts or failure text), its description loses the checks' timeouts, and readiness reasons name the failing
 * checks without saying why. Schemas only the full report uses are left for the caller to prune.
 */
export function documentStatusOnly(document: OpenAPIObject, definitions: readonly CheckDefinition[]): void {
  const schemas = ((document.components ??= {}).schemas ??= {});
  const keys = definitions.map(({ key }) => key);
  schemas[STATUS_ONLY] = statusOnlySchema(keys);
  schemas[HEALTH_JSON_STATUS_ONLY] = healthJsonStatusOnlySchema(keys);
  // Readiness examples are rebuilt from the checks' own: a version is needed to build them, and shown nowhere.
  const examples = exampleReports(definitions, '');

  const report = document.paths[REPORT]?.get;
  if (report) {
    report.description = `${(report.description ?? '').split(CHECKS_LIST, 1)[0]}\n\n${STATUS_ONLY_NOTE}`;
    for (const response of Object.values(report.responses)) {
      const content = contentOf(response);
      const full = content?.['application/json'];
      if (!content || !full || !content[HEALTH_JSON]) continue;
      // The full report's named examples, each summarised as such a caller gets it, in both media types.
      const named = Object.entries(full.examples ?? {}) as Array<
        [string, { summary?: string; value: HealthReportDto }]
      >;
      const render = (summarise: (value: HealthReportDto) => unknown) =>
        Object.fromEntries(named.map(([name, example]) => [name, { ...example, value: summarise(example.value) }]));
      content['application/json'] = { schema: ref(STATUS_ONLY), examples: render(summarize) };
      content[HEALTH_JSON] = { schema: ref(HEALTH_JSON_STATUS_ONLY), examples: render(summarizeHealthJson) };
    }
  }

  const ready = document.paths[READY]?.get;
  const reason = (value?: HealthReportDto) => (value ? failingCheckNames(value.checks).join('; ') : null);
  const replace = (code: string, name: string, value: ReadinessDto) => {
    const named = contentOf(ready?.responses[code])?.['application/json']?.examples;
    if (named?.[name]) named[name] = { ...named[name], value };
  };
  replace('200', 'degraded', { ready: true, status: 'degraded', reason: reason(examples.degraded) });
  replace('503', 'unhealthy', { ready: false, status: 'unhealthy', reason: reason(examples.unhealthy) });
  const readiness = schemas.ReadinessDto as SchemaObject | undefined;
  const reasonSchema = readiness?.properties?.reason as SchemaObject | undefined;
  if (reasonSchema && examples.degraded) reasonSchema.example = reason(examples.degraded);
}

function statusOnlySchema(keys: readonly string[]): SchemaObject {
  const checkStatus: SchemaObject = {
    type: 'object',
    required: ['status'],
    properties: {
      status: {
        type: 'string',
        enum: ['ok', 'error'],
        description: '`ok` when the probe succeeded within its timeout, else `error`',
      },
    },
  };
  return {
    type: 'object',
    description: 'The report without details: the overall status and each check’s status',
    required: ['status', 'checks'],
    properties: {
      status: {
        type: 'string',
        enum: ['healthy', 'degraded', 'unhealthy'],
        description:
          '`healthy`: every check ok. `degraded`: every critical check is ok but another failed (HTTP 200). ' +
          '`unhealthy`: a critical check failed (HTTP 503)',
      },
      checks: checksOf(keys, checkStatus),
    },
  };
}

function healthJsonStatusOnlySchema(keys: readonly string[]): SchemaObject {
  const checkStatus: SchemaObject = {
    type: 'array',
    items: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['pass', 'fail'], description: 'Whether the check passed' } },
    },
  };
  return {
    type: 'object',
    description: 'The health+json report without details: the overall status and each check’s status',
    required: ['status', 'checks'],
    properties: {
      status: {
        type: 'string',
        enum: ['pass', 'warn', 'fail'],
        description: '`pass` = healthy, `warn` = degraded or shutting down (HTTP 200), `fail` = unhealthy (HTTP 503)',
      },
      notes: {
        type: 'array',
        items: { type: 'string' },
        description: 'Present during the shutdown drain, which also turns `pass` into `warn` (still HTTP 200)',
      },
      checks: checksOf(keys, checkStatus),
    },
  };
}

function checksOf(keys: readonly string[], check: SchemaObject): SchemaObject {
  return {
    type: 'object',
    description: 'One entry per check, in a fixed order. Checks may be added; none is ever removed',
    required: [...keys],
    properties: Object.fromEntries(keys.map((key) => [key, check])),
  };
}

type Content = Record<string, { schema?: unknown; examples?: Record<string, unknown> }>;

function contentOf(response: unknown): Content | undefined {
  return (response as { content?: Content } | undefined)?.content;
}
