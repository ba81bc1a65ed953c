import { createHmac } from 'node:crypto';
import type { OverallStatus } from '../health/health-status';
import type { NotificationPayload } from './notification';
import { notificationText } from './notification-text';
import type { TargetFormat } from './notify-target';

/** A request body and its headers, ready to POST. */
export interface RenderedNotification {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The header carrying the generic format's signature. */
export const SIGNATURE_HEADER = 'x-secuscan-signature';
/** Discord refuses a `content` longer than this. */
const DISCORD_MAX_CONTENT = 2000;

/** `sha256=<hex HMAC-SHA256 of body under secret>`, as the generic format's receivers verify it. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * `payload` in the format of a target: the generic JSON as it is (signed when `secret` is set), a Slack incoming
 * webhook's `{"text"}`, a Discord webhook's `{"content"}`, or an ntfy message (the text as the body, with `Title`,
 * `Priority`, `Tags` and `Click` headers).
 */
export function renderNotification(
  format: TargetFormat,
  payload: NotificationPayload,
  secret?: string,
): RenderedNotification {
  switch (format) {
    case 'webhook': {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret) headers[SIGNATURE_HEADER] = signatureOf(body, secret);
      return { headers, body };
    }
    case 'slack':
      return json({ text: slackText(payload) });
    case 'discord':
      // No mention in a message may ping anyone, whatever a failure's text holds (`@everyone`).
      return json({ content: discordContent(payload), allowed_mentions: { parse: [] } });
    case 'ntfy':
      return ntfy(payload);
  }
}

function json(value: unknown): RenderedNotification {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** Slack reads `&`, `<` and `>` as markup: escaped in every text that comes from elsewhere. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function slackText(payload: NotificationPayload): string {
  const { title, lines } = notificationText({ ...payload, url: null });
  const link = payload.url ? [`<${payload.url.replace(/[|<>]/g, encodeURIComponent)}|Status page>`] : [];
  return [`*${slackEscape(title)}*`, ...lines.map(slackEscape), ...link].join('\n');
}

function discordContent(payload: NotificationPayload): string {
  const { title, lines } = notificationText(payload);
  const content = [`**${title}**`, ...lines].join('\n');
  return content.length > DISCORD_MAX_CONTENT ? `${content.slice(0, DISCORD_MAX_CONTENT - 1)}…` : content;
}

/** ntfy's priorities (1–5) and emoji tags by status. */
const NTFY_STYLE: Readonly<Record<OverallStatus | 'test', { priority: string; tag: string }>> = {
  unhealthy: { priority: '5', tag: 'rotating_light' },
  degraded: { priority: '4', tag: 'warning' },
  healthy: { priority: '3', tag: 'white_check_mark' },
  test: { priority: '3', tag: 'test_tube' },
};

function ntfy(payload: NotificationPayload): RenderedNotification {
  const { title, lines } = notificationText({ ...payload, url: null });
  const style = NTFY_STYLE[payload.event === 'test' ? 'test' : (payload.status ?? 'test')];
  return {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      // Header values must be ASCII; APP_NAME is held to printable ASCII and the rest are our own words.
      title,
      priority: style.priority,
      tags: style.tag,
      ...(payload.url ? { click: payload.url } : {}),
    },
    body: lines.join('\n'),
  };
}
