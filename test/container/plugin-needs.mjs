// Run inside an image (`docker run --rm -v <this folder>:/probe:ro IMAGE node /probe/plugin-needs.mjs`): one line
// per plugin manifest in PLUGINS_DIR, `<id> runnable` or `<id> missing <kind>:<name> ...`, judged on its own from
// the binaries on PATH, the python3 distributions and the dpkg packages of that image, so the container test can
// print which plugins each image can run next to what the service reports.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.PLUGINS_DIR ?? '/app/plugins';
const onPath = (name) =>
  (process.env.PATH ?? '').split(':').some((folder) => {
    try {
      accessSync(join(folder, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
const run = (file, args) => {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  } catch (error) {
    return error.stdout ?? '';
  }
};
// Distribution names compare lowercased with runs of -_. as one dash (PEP 503); a version pin is dropped.
const normal = (name) =>
  name
    .split(/[<>=!~ ;[]/)[0]
    .toLowerCase()
    .replace(/[-_.]+/g, '-');

const manifests = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((entry) => {
    try {
      return [JSON.parse(readFileSync(join(dir, entry.name, 'metadata.json'), 'utf8'))];
    } catch {
      return [];
    }
  });
const python = onPath('python3')
  ? new Set(
      run('python3', ['-c', 'import importlib.metadata as m\nfor d in m.distributions(): print(d.metadata["Name"])'])
        .split('\n')
        .filter(Boolean)
        .map(normal),
    )
  : new Set();
const dpkg = new Set(
  onPath('dpkg-query') ? run('dpkg-query', ['-W', '-f', '${Package} ${db:Status-Status}\\n']).split('\n') : [],
);

for (const manifest of manifests.sort((a, b) => String(a.id).localeCompare(String(b.id)))) {
  const deps = manifest.dependencies ?? {};
  const binaries = [manifest.engine?.type === 'cli' ? manifest.engine.binary : undefined, ...(deps.binaries ?? [])];
  const missing = [
    ...binaries.filter((name) => name && !onPath(name)).map((name) => `binary:${name}`),
    ...(deps.python_packages ?? []).filter((name) => !python.has(normal(name))).map((name) => `python:${name}`),
    ...(deps.system_packages ?? []).filter((name) => !dpkg.has(`${name} installed`)).map((name) => `system:${name}`),
  ];
  console.log(`${manifest.id} ${missing.length === 0 ? 'runnable' : `missing ${[...new Set(missing)].join(' ')}`}`);
}
