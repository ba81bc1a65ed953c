import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publicUrl } from '../config/public-url';
import { defineSettings, integer, SettingsOf, text } from '../config/settings';

const MAX_VERSION_LENGTH = 64;

function packageVersion(): string {
  // dist/health and src/health are both two levels below the package root.
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** The evaluations: what the report says of itself, how long it is reused, and the shutdown drain. */
export const HEALTH_SETTINGS = defineSettings(
  'health',
  {
    version: text('APP_VERSION', {
      default: undefined,
      defaultText: 'the `version` of package.json',
      description: 'The `version` every report and log line carries.',
      // It ends up in every report and log line: printable ASCII only (a newline would forge a log line) and short
      // enough to read.
      check: (raw) =>
        raw.length > MAX_VERSION_LENGTH || !/^[\x20-\x7e]+$/.test(raw)
          ? `must be at most ${MAX_VERSION_LENGTH} printable characters (letters, digits, ".", "-", "+", ...)`
          : undefined,
    }),
    reportTtlMs: integer('HEALTH_CACHE_TTL_MS', {
      default: 1000,
      min: 0,
      max: 3_600_000,
      description:
        'How long a finished report is reused, in ms; `0` = always probe (concurrent callers still share one run). ' +
        'Event stream listeners make it evaluate once per TTL, but at most once a second.',
    }),
    shutdownDelayMs: integer('HEALTH_SHUTDOWN_DELAY_MS', {
      default: 5000,
      min: 0,
      max: 600_000,
      description: 'After SIGTERM, how long readiness answers 503 before the server closes, in ms.',
    }),
    publicUrl: publicUrl('HEALTH_PUBLIC_URL', {
      description:
        'Where people reach the service (`https://health.example.com`, a path allowed): links are built under it, ' +
        'else relative, never from `Host`; its host is allowed as a `Host`.',
    }),
  },
  ({ version, ...rest }) => ({ version: version ?? packageVersion(), ...rest }),
);

/** The parsed {@link HEALTH_SETTINGS}. */
export type HealthSettings = SettingsOf<typeof HEALTH_SETTINGS>;
