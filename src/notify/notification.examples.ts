import { payloadOf, type NotificationPayload } from './notification';
import { renderNotification } from './notification-formats';

/**
 * The notifications the guide shows (docs/operations.md, written by `npm run docs:examples`): one outage as each
 * format sends it, from the code that sends it, so the guide cannot drift from what receivers get.
 */
export const NOTIFICATION_EXAMPLE: NotificationPayload = payloadOf(
  {
    event: 'status_changed',
    status: 'unhealthy',
    previous: 'healthy',
    since: Date.parse('2026-11-25T03:12:04.518Z'),
    reason: 'database: database unreachable: connect ECONNREFUSED 10.0.0.5:5432',
    checks: { database: 'error', cache: 'ok', plugins: 'ok' },
  },
  { service: 'secuscan-health', version: '1.0.0', publicUrl: 'https://health.example.com' },
  Date.parse('2026-11-25T03:12:34.602Z'),
  '0b9e7c52-4f0e-4d61-9a57-3c2f1e8d6a47',
);

/** The JSON body `format` POSTs for the example (the generic payload, Slack's or Discord's message). */
export function exampleBody(format: 'webhook' | 'slack' | 'discord'): unknown {
  return JSON.parse(renderNotification(format, NOTIFICATION_EXAMPLE).body) as unknown;
}

/** The example as ntfy gets it, written as the HTTP request: the text is the body, the rest are headers. */
export function ntfyExampleRequest(): string {
  const { headers, body } = renderNotification('ntfy', NOTIFICATION_EXAMPLE);
  const lines = Object.entries(headers).map(([name, value]) => `${headerCase(name)}: ${value}`);
  return ['POST /secuscan-alerts-7f3a HTTP/1.1', 'Host: ntfy.sh', ...lines, '', body].join('\n');
}

function headerCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}
