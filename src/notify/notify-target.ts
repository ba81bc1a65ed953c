import { decodes, unescapedUserinfo } from '../config/connection-url';
import { ConfigError, printable, type Setting } from '../config/settings';

/** How a target wants its message: the scheme's prefix (`slack+https://…`) picks it; a bare `https://` is `webhook`. */
export type TargetFormat = 'webhook' | 'slack' | 'discord' | 'ntfy';

/** One place notifications go. */
export interface NotifyTarget {
  readonly format: TargetFormat;
  /**
   * The `http(s)://` URL to POST to, without the format prefix. It carries secrets (Slack's path, Discord's token,
   * ntfy's topic, a user name and password), so it is never logged, counted or shown: use {@link label} and {@link host}.
   */
  readonly url: string;
  /** `slack#2`: the format and the position in the list; the metrics label and the name in logs. */
  readonly label: string;
  /** `hooks.slack.com` (with a port when one is given): what may be shown beside the label. */
  readonly host: string;
}

/** At most this many targets: each notification is sent to every one. */
export const MAX_TARGETS = 20;

const PREFIXES: Readonly<Record<string, TargetFormat>> = {
  '': 'webhook',
  slack: 'slack',
  discord: 'discord',
  ntfy: 'ntfy',
};
const EXPECTED = 'https://…, slack+https://…, discord+https://… or ntfy+https://…';
/** What the path of each format holds, for the message when it is missing. */
const PATH_NEEDED: Readonly<Record<TargetFormat, string | undefined>> = {
  webhook: undefined,
  slack: 'the webhook path (slack+https://hooks.slack.com/services/…)',
  discord: 'the webhook path (discord+https://discord.com/api/webhooks/<id>/<token>)',
  ntfy: 'a topic (ntfy+https://ntfy.sh/<topic>)',
};

/** `slack#2 (hooks.slack.com)`: how a target is named to people. */
export function describeTarget(target: NotifyTarget): string {
  return `${target.label} (${target.host})`;
}

/**
 * Reads one item of `name`, the `index`-th (from 0). Messages name the variable and the item's position, and at most
 * its format and scheme: never the URL, whose path, query and user info may be secret.
 */
export function parseTarget(name: string, raw: string, index: number): NotifyTarget {
  const where = `${name} item ${index + 1}`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (!scheme) throw new ConfigError(`${where} is not a URL (expected ${EXPECTED})`);
  const plus = scheme.lastIndexOf('+');
  const prefix = plus < 0 ? '' : scheme.slice(0, plus);
  const transport = scheme.slice(plus + 1);
  const format = Object.hasOwn(PREFIXES, prefix) ? PREFIXES[prefix] : undefined;
  if (!format) throw new ConfigError(`${where} has an unknown format "${printable(prefix)}+" (expected ${EXPECTED})`);
  if (transport !== 'http' && transport !== 'https') {
    throw new ConfigError(`${where} must be sent over http or https (got ${printable(scheme)}://…)`);
  }
  const url = raw.slice(plus + 1);
  const unescaped = unescapedUserinfo(url);
  if (unescaped) throw new ConfigError(`${where} ${unescaped}`);
  const parsed = URL.parse(url);
  if (!parsed) throw new ConfigError(`${where} is not a valid URL (expected ${EXPECTED})`);
  if (!parsed.hostname) throw new ConfigError(`${where} has no host`);
  if (!decodes(parsed.username) || !decodes(parsed.password)) {
    throw new ConfigError(`${where} has a malformed user name or password: a "%" must start a %XX escape`);
  }
  const needed = PATH_NEEDED[format];
  if (needed && parsed.pathname.replace(/\//g, '') === '') throw new ConfigError(`${where} has no path: add ${needed}`);
  return { format, url, label: `${format}#${index + 1}`, host: parsed.host };
}

/** `HEALTH_NOTIFY_URLS`: a comma-separated list of targets, empty when unset. Values are never echoed. */
export function notifyTargets(
  name: string,
  { description }: { readonly description: string },
): Setting<readonly NotifyTarget[]> {
  return {
    name,
    defaultText: 'unset',
    description,
    parse(raw = '') {
      const items = raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (items.length > MAX_TARGETS) {
        throw new ConfigError(`${name} lists ${items.length} targets; at most ${MAX_TARGETS} are allowed`);
      }
      return Object.freeze(items.map((item, index) => Object.freeze(parseTarget(name, item, index))));
    },
  };
}
