import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import * as ts from 'typescript';

/**
 * Two checks of Kubernetes manifests against the API's published OpenAPI schema, both from the kubernetes-models
 * packages (generated from it), so no cluster and no kubectl are needed: the JSON-schema validators (types,
 * required fields, enums, patterns) and the TypeScript declarations, whose excess-property check catches a
 * misspelled or misplaced field at any depth, which the JSON schemas let through.
 */

const ROOT = join(__dirname, '..', '..');
const SCHEMA_SCRIPT = join(__dirname, 'validate-manifests.mjs');

/** One document's verdict from the JSON-schema validators. */
export interface SchemaResult {
  file: string;
  index: number;
  kind: string | null;
  errors: string | null;
}

/** Runs the JSON-schema validators on every document of `files` (in node: the packages are ES modules only). */
export function schemaErrors(files: string[]): Promise<SchemaResult[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SCHEMA_SCRIPT, ...files], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as SchemaResult[]);
    });
  });
}

/** {@link schemaErrors} of manifests given as objects (e.g. deliberately broken ones), through a temporary file. */
export async function manifestSchemaErrors(manifests: object[]): Promise<SchemaResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'secuscan-manifests-'));
  const file = join(dir, 'manifests.yaml');
  try {
    writeFileSync(file, manifests.map((m) => stringify(m)).join('---\n'));
    return await schemaErrors([file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Module and interface declaring a kind: apps/v1 Deployment → kubernetes-models/apps/v1/Deployment, IDeployment. */
function declaration(apiVersion: string, kind: string): { module: string; type: string } {
  const module =
    apiVersion === 'monitoring.coreos.com/v1'
      ? `@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/${kind}`
      : `kubernetes-models/${apiVersion}/${kind}`;
  return { module, type: `I${kind}` };
}

/**
 * Type-checks each manifest as an object literal of its kind's declared interface and returns the compiler's
 * messages, each prefixed with `label` of its manifest (empty when all conform).
 */
export function typeErrors(
  manifests: Array<{ label: string; manifest: { apiVersion?: string; kind?: string } }>,
): string[] {
  const lines: string[] = [];
  manifests.forEach(({ label, manifest }, i) => {
    const { module, type } = declaration(String(manifest.apiVersion), String(manifest.kind));
    // One line a manifest, led by its label, so every message (a missing module too) names its manifest.
    const head = `/* ${label.replace(/\*\//g, '')} */ import type { ${type} as T${i} } from '${module}';`;
    lines.push(`${head} export const m${i}: T${i} = ${JSON.stringify(manifest)};`);
  });
  // A virtual file inside the repository, so the packages resolve from its node_modules.
  const file = join(ROOT, 'test', 'kubernetes-manifests.check.ts');
  const text = lines.join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === file ? ts.createSourceFile(name, text, language) : readSource(name, language, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const line =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line
        : -1;
    const label = line >= 0 ? (/\/\* (.*?) \*\//.exec(text.split('\n')[line])?.[1] ?? '') : '';
    return `${label}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}
