import { createHmac } from 'node:crypto';
import { payloadOf, testPayload, type NotificationPayload } from './notification';
import { renderNotification, SIGNATURE_HEADER } from './notification-formats';

const SOURCE = { service: 'secuscan-health', version: '1.0.0', publicUrl: 'https://health.example.com' };
const DOWN: NotificationPayload = payloadOf(
  {
    event: 'status_changed',
    status: 'unhealthy',
    previous: 'healthy',
    since: Date.parse('2026-11-25T12:00:00.000Z'),
    reason: 'database: database unreachable: connect ECONNREFUSED 10.0.0.5:5432',
    checks: { database: 'error', cache: 'ok', plugins: 'ok' },
  },
  SOURCE,
  Date.parse('2026-11-25T12:00:30.000Z'),
  'f6a1c1de-5d8e-4d4b-9c1e-0e0f5b7c1a11',
);

describe('renderNotification', () => {
  it('generic: the payload as JSON, unsigned without a secret', () => {
    const { headers, body } = renderNotification('webhook', DOWN);
    expect(headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(body)).toEqual({
      event: 'status_changed',
      status: 'unhealthy',
      previous: 'healthy',
      since: '2026-11-25T12:00:00.000Z',
      at: '2026-11-25T12:00:30.000Z',
      service: 'secuscan-health',
      version: '1.0.0',
      reason: 'database: database unreachable: connect ECONNREFUSED 10.0.0.5:5432',
      checks: { database: 'error', cache: 'ok', plugins: 'ok' },
      url: 'https://health.example.com/status',
      id: 'f6a1c1de-5d8e-4d4b-9c1e-0e0f5b7c1a11',
    });
  });

  it('generic: signed with HMAC-SHA256 of the exact body under the secret', () => {
    const { headers, body } = renderNotification('webhook', DOWN, 'topsecret');
    const expected = createHmac('sha256', 'topsecret').update(body).digest('hex');
    expect(headers[SIGNATURE_HEADER]).toBe(`sha256=${expected}`);
    expect(body).not.toContain('topsecret');
  });

  it('slack: {"text"} in mrkdwn, with &, < and > escaped and the status page as a link', () => {
    const tricky = { ...DOWN, reason: 'cache: <!channel> & co > 1' };
    const { headers, body } = renderNotification('slack', tricky, 'topsecret');
    expect(headers).toEqual({ 'content-type': 'application/json' });
    const { text } = JSON.parse(body) as { text: string };
    expect(Object.keys(JSON.parse(body))).toEqual(['text']);
    expect(text.split('\n')).toEqual([
      '*secuscan-health is unhealthy*',
      'Unhealthy since 2026-11-25T12:00:00.000Z (was healthy).',
      'cache: &lt;!channel&gt; &amp; co &gt; 1',
      'Checks: database error, cache ok, plugins ok. Version 1.0.0.',
      '<https://health.example.com/status|Status page>',
    ]);
  });

  it('discord: {"content"} that can mention nobody, at most 2000 characters', () => {
    const { body } = renderNotification('discord', { ...DOWN, reason: `@everyone ${'x'.repeat(3000)}` });
    const message = JSON.parse(body) as { content: string; allowed_mentions: unknown };
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.content.startsWith('**secuscan-health is unhealthy**\nUnhealthy since')).toBe(true);
    expect(message.content).toHaveLength(2000);
  });

  it('ntfy: the text as the body, title, priority, tags and click as headers', () => {
    expect(renderNotification('ntfy', DOWN)).toEqual({
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        title: 'secuscan-health is unhealthy',
        priority: '5',
        tags: 'rotating_light',
        click: 'https://health.example.com/status',
      },
      body:
        'Unhealthy since 2026-11-25T12:00:00.000Z (was healthy).\n' +
        'database: database unreachable: connect ECONNREFUSED 10.0.0.5:5432\n' +
        'Checks: database error, cache ok, plugins ok. Version 1.0.0.',
    });
  });

  it('words reminders, recoveries and tests as such', () => {
    const title = (payload: NotificationPayload) => renderNotification('ntfy', payload).headers.title;
    expect(title({ ...DOWN, event: 'reminder' })).toBe('secuscan-health is still unhealthy');
    const up = { ...DOWN, event: 'recovered' as const, status: 'healthy' as const, previous: 'unhealthy' as const };
    expect(title(up)).toBe('secuscan-health is healthy again');
    expect(renderNotification('ntfy', up).headers).toMatchObject({ priority: '3', tags: 'white_check_mark' });
    expect(renderNotification('ntfy', { ...DOWN, status: 'degraded' }).headers).toMatchObject({ priority: '4' });
    const test = testPayload({ service: 'scanner', version: '2.0.0' }, 0, 'id');
    expect(renderNotification('ntfy', test)).toEqual({
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        title: 'scanner: test notification',
        priority: '3',
        tags: 'test_tube',
      },
      body: 'Notifications from scanner 2.0.0 reach this channel.',
    });
    expect(test).toMatchObject({ event: 'test', status: null, previous: null, checks: {}, url: null });
  });
});
