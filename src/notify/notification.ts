import { randomUUID } from 'node:crypto';
import type { CheckStatus, OverallStatus } from '../health/health-status';

/** Why a notification is sent. */
export type NotificationEvent = 'status_changed' | 'reminder' | 'recovered' | 'test';

/** What the policy decided to tell: the state, since when, and the evaluation that showed it. */
export interface Announcement {
  readonly event: Exclude<NotificationEvent, 'test'>;
  readonly status: OverallStatus;
  /** The status receivers were told before (`null`: none yet, e.g. the service started unhealthy). */
  readonly previous: OverallStatus | null;
  /** Epoch ms when the state began. */
  readonly since: number;
  /** The failing checks, `database: …; cache: …`, or `null` when none fails. */
  readonly reason: string | null;
  readonly checks: Readonly<Record<string, CheckStatus>>;
}

/** What every notification of this service says of it. */
export interface NotificationSource {
  /** `APP_NAME`. */
  readonly service: string;
  readonly version: string;
  /** `HEALTH_PUBLIC_URL`, when set: the notification links to its status page. */
  readonly publicUrl?: string;
}

/**
 * The generic JSON notification, exactly as it is POSTed to a `https://` target; the chat formats are written from
 * it. A `test` has no status: it says only that notifications reach the target.
 */
export interface NotificationPayload {
  readonly event: NotificationEvent;
  readonly status: OverallStatus | null;
  readonly previous: OverallStatus | null;
  /** ISO time the state began (for a test: when it was sent). */
  readonly since: string;
  /** ISO time the notification was made; retries send the same body. */
  readonly at: string;
  readonly service: string;
  readonly version: string;
  readonly reason: string | null;
  readonly checks: Readonly<Record<string, CheckStatus>>;
  /** `<HEALTH_PUBLIC_URL>/status`, or `null`. */
  readonly url: string | null;
  /** Unique per notification, so a receiver can drop a duplicate. */
  readonly id: string;
}

/** The payload of `announcement`, made at `at` (epoch ms). */
export function payloadOf(
  announcement: Announcement,
  source: NotificationSource,
  at: number,
  id: string = randomUUID(),
): NotificationPayload {
  return {
    event: announcement.event,
    status: announcement.status,
    previous: announcement.previous,
    since: new Date(announcement.since).toISOString(),
    at: new Date(at).toISOString(),
    service: source.service,
    version: source.version,
    reason: announcement.reason,
    checks: announcement.checks,
    url: statusPageOf(source),
    id,
  };
}

/** The payload of a test notification (`secuscan-health notify-test`), made at `at`. */
export function testPayload(source: NotificationSource, at: number, id: string = randomUUID()): NotificationPayload {
  const when = new Date(at).toISOString();
  return {
    event: 'test',
    status: null,
    previous: null,
    since: when,
    at: when,
    service: source.service,
    version: source.version,
    reason: 'a test sent by secuscan-health notify-test',
    checks: {},
    url: statusPageOf(source),
    id,
  };
}

function statusPageOf({ publicUrl }: NotificationSource): string | null {
  return publicUrl ? `${publicUrl}/status` : null;
}
