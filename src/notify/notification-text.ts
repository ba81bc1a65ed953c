import type { NotificationPayload } from './notification';

/** A notification in words, for the chat and push formats: a title and the lines under it. */
export interface NotificationText {
  readonly title: string;
  readonly lines: readonly string[];
}

/**
 * The words of a notification, from its payload alone, so every format says the same:
 * `secuscan-health is unhealthy`, then since when, why, each check, the version and the status page.
 */
export function notificationText(payload: NotificationPayload): NotificationText {
  const { service, status } = payload;
  const checks = Object.entries(payload.checks).map(([key, value]) => `${key} ${value}`);
  const link = payload.url ? [`Status page: ${payload.url}`] : [];
  switch (payload.event) {
    case 'test':
      return {
        title: `${service}: test notification`,
        lines: [`Notifications from ${service} ${payload.version} reach this channel.`, ...link],
      };
    case 'status_changed':
    case 'reminder':
    case 'recovered': {
      const title =
        payload.event === 'recovered'
          ? `${service} is healthy again`
          : `${service} is ${payload.event === 'reminder' ? 'still ' : ''}${status ?? 'unknown'}`;
      const was = payload.previous ? ` (was ${payload.previous})` : '';
      return {
        title,
        lines: [
          `${capitalized(status ?? 'unknown')} since ${payload.since}${was}.`,
          ...(payload.reason ? [payload.reason] : []),
          ...(checks.length ? [`Checks: ${checks.join(', ')}. Version ${payload.version}.`] : []),
          ...link,
        ],
      };
    }
  }
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
