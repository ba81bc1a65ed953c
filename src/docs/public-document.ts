import type { OpenAPIObject, OperationObject, PathItemObject } from '@nestjs/swagger';
import { HEALTH_TOKEN_SCHEME } from '../access/details-route.decorator';
import { documentStatusOnly, type CheckDefinition } from '../health';

/**
 * The `info.version` of the public document: the API's (the `/api/v1` prefix), which every caller can see, not the
 * service's, which is a detail (it tells which fixes an instance lacks).
 */
export const PUBLIC_API_VERSION = 'v1';

/** Added to the description of the public document, so a reader knows why routes are missing. */
const PUBLIC_NOTE =
  '\n\nThis document describes what a caller who may not see details can use: liveness, readiness and the report ' +
  'as statuses only. The routes that show details (the full report, plugin diagnostics, history, the event ' +
  'stream, metrics) are documented where they are served: with the bearer token under ' +
  '`HEALTH_DETAILS=when-authorized`, on the management port when `MANAGEMENT_PORT` is set.';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The OpenAPI document for a caller who may not see details, made from the full one (which stays as it is): no
 * service version, no route that only shows details (those name the `health-token` scheme), the report and readiness
 * as that caller gets them, and no schema, tag or security scheme that only the removed parts used. The operations
 * tagged with one of `hiddenTags` go too (routes that answer 404 under the caller's tier). It tells nothing
 * the answers to that caller do not.
 */
export function publicDocument(
  full: OpenAPIObject,
  definitions: readonly CheckDefinition[],
  { hiddenTags = [] }: { readonly hiddenTags?: readonly string[] } = {},
): OpenAPIObject {
  const document = structuredClone(full);
  document.info = {
    ...document.info,
    version: PUBLIC_API_VERSION,
    description: `${document.info.description ?? ''}${PUBLIC_NOTE}`,
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      if (item[method] && (needsDetails(item[method]) || hasTag(item[method], hiddenTags))) delete item[method];
    }
    if (!METHODS.some((method) => item[method])) delete document.paths[path];
  }
  documentStatusOnly(document, definitions);
  const components = document.components ?? {};
  delete components.securitySchemes?.[HEALTH_TOKEN_SCHEME];
  if (components.securitySchemes && Object.keys(components.securitySchemes).length === 0) {
    delete components.securitySchemes;
  }
  pruneSchemas(document);
  const tags = usedTags(document.paths);
  document.tags = document.tags?.filter(({ name }) => tags.has(name));
  return document;
}

function hasTag(operation: OperationObject, tags: readonly string[]): boolean {
  return (operation.tags ?? []).some((tag) => tags.includes(tag));
}

function needsDetails(operation: OperationObject): boolean {
  return (operation.security ?? []).some((requirement) => HEALTH_TOKEN_SCHEME in requirement);
}

/** Keeps the component schemas the paths reach, directly or through other schemas. */
function pruneSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const reached = new Set<string>();
  const pending = schemaRefs(document.paths);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reached.has(name) || !schemas[name]) continue;
    reached.add(name);
    pending.push(...schemaRefs(schemas[name]));
  }
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}

/** The names of the component schemas `value` refers to. */
function schemaRefs(value: unknown): string[] {
  const prefix = '#/components/schemas/';
  return [...JSON.stringify(value).matchAll(/"\$ref":"([^"]+)"/g)]
    .map((match) => match[1])
    .filter((target) => target.startsWith(prefix))
    .map((target) => target.slice(prefix.length));
}

function usedTags(paths: Record<string, PathItemObject>): Set<string> {
  return new Set(Object.values(paths).flatMap((item) => METHODS.flatMap((method) => item[method]?.tags ?? [])));
}
