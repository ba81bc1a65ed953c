// Validates Kubernetes manifests against the API's own OpenAPI schemas, as compiled by the kubernetes-models
// packages (types, required fields, enums, formats; fields the schema does not know are not reported). Those
// packages are ES modules only, which jest's CommonJS runtime cannot load, so tests run this file with node:
//   node test/support/validate-manifests.mjs FILE...
// It prints one JSON array: per document { file, index, kind, errors } (errors null when valid).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

/** Module of the model class for an apiVersion; the class is exported under its kind. */
function modelModule(apiVersion, kind) {
  if (apiVersion === 'monitoring.coreos.com/v1') {
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`;
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** The schema errors of one manifest, or null; a kind without a schema is an error, never a silent pass. */
async function validate(manifest) {
  const { apiVersion, kind } = manifest ?? {};
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return 'apiVersion and kind must be strings';
  let Model;
  try {
    Model = (await import(modelModule(apiVersion, kind)))[kind];
  } catch {
    return `no schema for ${apiVersion} ${kind}`;
  }
  if (typeof Model !== 'function') return `no schema for ${apiVersion} ${kind}`;
  try {
    new Model(manifest).validate();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const results = [];
for (const file of process.argv.slice(2)) {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const [index, document] of documents.entries()) {
    const manifest = document.toJS();
    const errors = document.errors.length ? document.errors[0].message : await validate(manifest);
    results.push({ file, index, kind: manifest?.kind ?? null, errors });
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`);
