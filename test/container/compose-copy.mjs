// Writes the copy of docker-compose.yml that the container test runs, adapted to the Docker on this machine:
//   --drop-name             compose v1 (Debian bookworm's docker-compose 1.29) refuses the top-level `name:` key
//   --no-start-interval     Engines before 25 and compose v1 refuse `start_interval`; the copy checks every
//                           start_interval instead, so a status change still shows within about a second
//   --plugins=DIR           mounts DIR at the api's PLUGINS_DIR instead of ./plugins, so the report's status
//                           follows PostgreSQL and Redis alone, whatever the image can run of the shipped plugins
// usage: node compose-copy.mjs SOURCE TARGET [--drop-name] [--no-start-interval] [--plugins=DIR]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const [source, target, ...flags] = process.argv.slice(2);
const compose = parse(readFileSync(source, 'utf8'));
if (flags.includes('--drop-name')) delete compose.name;
if (flags.includes('--no-start-interval')) {
  for (const service of Object.values(compose.services ?? {})) {
    const check = service.healthcheck;
    if (!check?.start_interval) continue;
    check.interval = check.start_interval;
    delete check.start_interval;
  }
}
const plugins = flags.find((flag) => flag.startsWith('--plugins='))?.slice('--plugins='.length);
if (plugins) {
  const api = compose.services.api;
  const mountedAt = api.environment.PLUGINS_DIR;
  api.volumes = api.volumes.map((volume) =>
    volume.split(':')[1] === mountedAt ? `${plugins}:${mountedAt}:ro` : volume,
  );
}
writeFileSync(target, stringify(compose));
