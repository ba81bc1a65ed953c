import { applyEnvFile, ENV_FILE, EnvFileError } from '../config/env-file';
import { ConfigErrors, settingsFrom } from '../config/settings';
import { HEALTH_SETTINGS } from '../health/health.settings';
import { httpPost, type PostFn, type PostOutcome } from '../notify/http-post';
import { testPayload } from '../notify/notification';
import { renderNotification } from '../notify/notification-formats';
import { describeTarget, type NotifyTarget } from '../notify/notify-target';
import { NOTIFY_SETTINGS } from '../notify/notify.settings';
import { withoutSecretsOf } from '../notify/target-queue';
import type { NotifyTestOptions } from './health-cli-args';

/** Everything `notify-test` touches outside itself. */
export interface NotifyTestIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly post?: PostFn;
  /** The env file to read, as the service does (`.env` in the working directory). */
  readonly envFile?: string;
}

/** `notify-test`'s exit codes. */
export const NotifyTestExit = { allAnswered: 0, someFailed: 1, unusable: 2 } as const;
type NotifyTestExit = (typeof NotifyTestExit)[keyof typeof NotifyTestExit];

const PREFIX = 'secuscan-health: ';

/**
 * `secuscan-health notify-test`: reads the notification settings exactly as the service does (the environment, then
 * `.env`, the environment winning), sends one test notification (`"event": "test"`) to every target at once, one try
 * each, and prints a line per target: its label and host, never its URL. Exits 0 only when every target answered 2xx.
 */
export async function runNotifyTest(
  options: NotifyTestOptions,
  env: Readonly<Record<string, string | undefined>>,
  io: NotifyTestIo,
): Promise<NotifyTestExit> {
  const settings = readSettings(env, io);
  if (!settings) return NotifyTestExit.unusable;
  const { notify, health } = settings;
  if (!notify.targets.length) {
    io.stderr(`${PREFIX}HEALTH_NOTIFY_URLS is not set (in the environment or ${ENV_FILE}): no target to test\n`);
    return NotifyTestExit.unusable;
  }
  const source = { service: notify.appName, version: health.version, publicUrl: health.publicUrl };
  const payload = testPayload(source, Date.now());
  const post = io.post ?? httpPost;
  const userAgent = `${notify.appName}/${health.version}`;
  const outcomes = await Promise.all(
    notify.targets.map((target) =>
      post(target.url, renderNotification(target.format, payload, notify.secret), {
        timeoutMs: options.timeoutMs,
        userAgent,
      }),
    ),
  );
  const lines = notify.targets.map((target, i) => lineOf(target, outcomes[i]));
  const width = Math.max(...lines.map(([name]) => name.length));
  io.stdout(
    lines.map(([name, verdict, detail]) => `${name.padEnd(width)}  ${verdict.padEnd(6)}  ${detail}\n`).join(''),
  );
  return lines.every(([, verdict]) => verdict === 'ok') ? NotifyTestExit.allAnswered : NotifyTestExit.someFailed;
}

function readSettings(env: Readonly<Record<string, string | undefined>>, io: NotifyTestIo) {
  const merged: NodeJS.ProcessEnv = { ...env };
  try {
    applyEnvFile(io.envFile ?? ENV_FILE, merged);
    return { notify: settingsFrom(NOTIFY_SETTINGS, merged), health: settingsFrom(HEALTH_SETTINGS, merged) };
  } catch (error) {
    if (error instanceof EnvFileError) io.stderr(`${PREFIX}${error.message}\n`);
    else if (error instanceof ConfigErrors) {
      io.stderr(error.problems.map((problem) => `${PREFIX}invalid configuration: ${problem}\n`).join(''));
    } else throw error;
    return undefined;
  }
}

/** `[name, ok|failed, detail]` for one target. */
function lineOf(target: NotifyTarget, outcome: PostOutcome): [string, string, string] {
  const name = describeTarget(target);
  const ms = `${Math.round(outcome.ms)} ms`;
  if (outcome.kind === 'failed') return [name, 'failed', withoutSecretsOf(target.url, outcome.problem)];
  const ok = outcome.status >= 200 && outcome.status < 300;
  return [name, ok ? 'ok' : 'failed', `HTTP ${outcome.status} in ${ms}`];
}
