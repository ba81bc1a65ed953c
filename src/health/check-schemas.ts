import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { ReadinessDto } from './dto/probe-answers.dto';
import { exampleReports } from './health-examples';
import { failingChecks } from './health-checker';
import type { CheckDefinition, CheckField, CheckItems } from './health-indicator';
import { answerHealthJson, HEALTH_JSON, healthJsonLinks, toHealthJson } from './health-json';
import type { ReportAnnotation } from './report-annotation';

/** When the documented examples were "evaluated": fixed, so the OpenAPI document is the same on every start. */
const EXAMPLE_TIME = new Date('2026-11-25T12:00:00.000Z');
/** The links of the report without `HEALTH_PUBLIC_URL`. */
const EXAMPLE_LINKS = healthJsonLinks(undefined, '/api/v1/health');
const CHECKS_SCHEMA = 'HealthChecks';
const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/**
 * Completes the OpenAPI document with what the registered checks declare: the schema of the report's `checks`
 * (one property per check, with its own fields) and of the annotations' keys, the list of checks in the report's
 * description, and named examples of every state in both media types. A check added to the module appears here with
 * no other edit.
 */
export function documentHealthChecks(
  document: OpenAPIObject,
  definitions: readonly CheckDefinition[],
  version: string,
  annotations: readonly ReportAnnotation[] = [],
): void {
  const schemas = (document.components ??= {}).schemas ?? {};
  schemas[CHECKS_SCHEMA] = checksSchema(definitions);
  const report = schemas.HealthReportDto as SchemaObject;
  // An annotation is optional: it is there only while it has a value, and only for callers who may see details.
  const annotated = Object.fromEntries(annotations.map(({ key, schema }) => [key, schema]));
  report.properties = { ...report.properties, checks: ref(CHECKS_SCHEMA), ...annotated };

  const examples = exampleReports(definitions, version);
  const health = document.paths['/api/v1/health']?.get;
  if (health) {
    health.description = `${health.description ?? ''}\n\nChecks:\n${definitions.map(describeCheck).join('\n')}`;
    const named = (name: string, summary: string, report?: typeof examples.healthy) =>
      report ? { [name]: { summary, report } } : {};
    const byCode = {
      200: {
        ...named('healthy', 'All checks ok', examples.healthy),
        ...named('degraded', 'A non-critical check failed', examples.degraded),
      },
      503: named('unhealthy', 'A critical check failed', examples.unhealthy),
    };
    for (const [code, entries] of Object.entries(byCode)) {
      const content = responseContent(health.responses[code]);
      if (!content) continue;
      const render = (healthJson: boolean) =>
        Object.fromEntries(
          Object.entries(entries).map(([name, { summary, report: value }]) => [
            name,
            {
              summary,
              value: healthJson
                ? answerHealthJson(toHealthJson(value, definitions, EXAMPLE_TIME), {
                    links: EXAMPLE_LINKS,
                    shuttingDown: false,
                  })
                : value,
            },
          ]),
        );
      content['application/json'].examples = render(false);
      content[HEALTH_JSON].examples = render(true);
    }
  }

  const ready = document.paths['/api/v1/health/ready']?.get;
  if (ready) {
    const answer = (value: ReadinessDto) => ({ value });
    const reason = (report?: typeof examples.healthy) => (report ? failingChecks(report.checks).join('; ') : null);
    const ok = responseContent(ready.responses['200']);
    if (ok) {
      ok['application/json'].examples = {
        healthy: answer({ ready: true, status: 'healthy', reason: null }),
        ...(examples.degraded
          ? { degraded: answer({ ready: true, status: 'degraded', reason: reason(examples.degraded) }) }
          : {}),
      };
    }
    const notReady = responseContent(ready.responses['503']);
    if (notReady) {
      notReady['application/json'].examples = {
        ...(examples.unhealthy
          ? { unhealthy: answer({ ready: false, status: 'unhealthy', reason: reason(examples.unhealthy) }) }
          : {}),
        starting: answer({ ready: false, status: 'starting', reason: 'the first health evaluation has not finished' }),
        shutting_down: answer({ ready: false, status: 'shutting_down', reason: 'the service is shutting down' }),
      };
    }
  }
}

function checksSchema(definitions: readonly CheckDefinition[]): SchemaObject {
  return {
    type: 'object',
    description: 'One entry per registered check, in this order. Checks may be added; none is ever removed',
    required: definitions.map(({ key }) => key),
    properties: Object.fromEntries(definitions.map((definition) => [definition.key, checkSchema(definition)])),
  };
}

function checkSchema(definition: CheckDefinition): SchemaObject {
  const fields = Object.entries(definition.fields ?? {});
  const { items } = definition;
  const description = `${definition.description}. ${definition.critical ? 'Critical' : 'Not critical'}; times out after ${definition.timeoutMs} ms`;
  if (fields.length === 0 && !items) return { description, allOf: [ref('CheckResultDto')] };
  return {
    description,
    allOf: [
      ref('CheckResultDto'),
      {
        type: 'object',
        description:
          'Present when the check succeeded, and when it failed but could still tell (the plugin registry’s ' +
          'counts, the Redis topology) or measure each item (a list); a field marked always present is in every ' +
          'result, 0 when the check could not count',
        properties: {
          ...Object.fromEntries(
            fields.map(([name, field]) => [
              name,
              fieldSchema(
                field,
                field.always ? `${field.description}. Always present (0 when not counted)` : undefined,
              ),
            ]),
          ),
          ...(items ? { [items.name]: itemsSchema(items) } : {}),
        },
      },
    ],
  };
}

function fieldSchema(field: CheckField, description = field.description): SchemaObject {
  return {
    type: field.type ?? 'integer',
    ...(field.nullable ? { nullable: true } : {}),
    description,
    example: field.example,
  };
}

function itemsSchema(items: CheckItems): SchemaObject {
  const fields = Object.entries(items.fields);
  return {
    type: 'array',
    description: `${items.description}; one item per \`${items.key}\``,
    items: {
      type: 'object',
      required: fields.map(([name]) => name),
      properties: Object.fromEntries(fields.map(([name, field]) => [name, fieldSchema(field)])),
    },
  };
}

function describeCheck(definition: CheckDefinition): string {
  const role = definition.critical ? 'critical' : 'not critical';
  return `- \`${definition.key}\`: ${definition.description} (${definition.timeoutMs} ms timeout, ${role})`;
}

type Content = Record<string, { examples?: Record<string, unknown> }>;

function responseContent(response: unknown): Content | undefined {
  const content = (response as { content?: Content } | undefined)?.content;
  return content;
}
