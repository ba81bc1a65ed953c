import { parse } from 'yaml';
import { readRepoFile } from './repository';

/** The compose files of the repository, read as `docker compose` reads them (for the parts the tests look at). */

export interface ComposeHealthcheck {
  test?: string[] | string;
  timeout?: string;
  interval?: string;
  start_period?: string;
  start_interval?: string;
}
export interface ComposePort {
  host_ip?: string;
  published?: string | number;
  target?: number;
}
export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string | number | null> | string[];
  ports?: Array<string | ComposePort>;
  volumes?: Array<string | { type?: string; source?: string; target?: string }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: ComposeHealthcheck;
  stop_grace_period?: string;
}
interface ComposeFile {
  services?: Record<string, ComposeService>;
}

/** The services of the compose file at `file` (from the repository root), by name. */
export function readCompose(file: string): Record<string, ComposeService> {
  return (parse(readRepoFile(file)) as ComposeFile).services ?? {};
}

/** The services of docker-compose.yml. */
export const services = readCompose('docker-compose.yml');

/** The docker-compose.yml service `name`; throws when there is none. */
export function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** The value compose would use with none of the referenced variables set: `${X:-d}` becomes d, `${X}` empty. */
function withComposeDefaults(value: string): string {
  return value.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_, fallback: string | undefined) => fallback ?? '');
}

/** Environment of a compose service as name → value with compose defaults applied. */
export function composeEnvironment(svc: ComposeService): Record<string, string> {
  const entries: Array<[string, string]> = Array.isArray(svc.environment)
    ? svc.environment.map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      })
    : Object.entries(svc.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]);
  return Object.fromEntries(entries.map(([k, v]) => [k, withComposeDefaults(v)]));
}

/** Published ports as { hostIp, published, target }, from either compose syntax. */
export function publishedPorts(svc: ComposeService): Array<{ hostIp: string; published: string; target: number }> {
  return (svc.ports ?? []).map((port) => {
    if (typeof port !== 'string') {
      return { hostIp: port.host_ip ?? '', published: String(port.published ?? ''), target: Number(port.target) };
    }
    const parts = withComposeDefaults(port).split(':');
    const target = Number(parts.pop());
    const published = parts.pop() ?? '';
    return { hostIp: parts.join(':'), published, target };
  });
}

/** A healthcheck's command as argv (CMD form) or as one shell string (CMD-SHELL or string form). */
export function healthcheckCommand(check: ComposeHealthcheck | undefined): { kind: string; argv: string[] } {
  const test = check?.test;
  if (typeof test === 'string') return { kind: 'CMD-SHELL', argv: [test] };
  if (!test || test.length < 2) throw new Error('healthcheck has no test command');
  return { kind: test[0], argv: test.slice(1) };
}
