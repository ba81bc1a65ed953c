import { defineSettings, integer, SettingsOf, text } from '../config/settings';
import { notifyTargets } from './notify-target';

const MAX_NAME_LENGTH = 64;
const DAY_MS = 86_400_000;

/** Notifications of status changes: where they go, when, and what they call the service. */
export const NOTIFY_SETTINGS = defineSettings('notify', {
  targets: notifyTargets('HEALTH_NOTIFY_URLS', {
    description:
      'Where notifications go, comma-separated: `https://…` generic JSON, `slack+https://…`, `discord+https://…`, ' +
      '`ntfy+https://…/<topic>` (see [Notifications](operations.md#notifications)). Never logged or shown.',
  }),
  secret: text('HEALTH_NOTIFY_SECRET', {
    default: undefined,
    description:
      'Key of the `X-SecuScan-Signature: sha256=<hex>` HMAC-SHA256 of the generic JSON body. Never logged or shown.',
  }),
  afterMs: integer('HEALTH_NOTIFY_AFTER_MS', {
    default: 30_000,
    min: 0,
    max: DAY_MS,
    description: 'How long a new status must hold before it is notified, in ms; a shorter flap sends nothing.',
  }),
  repeatMs: integer('HEALTH_NOTIFY_REPEAT_MS', {
    default: 3_600_000,
    min: 0,
    max: 30 * DAY_MS,
    description: 'A reminder this often while not healthy, in ms; `0` = never.',
  }),
  intervalMs: integer('HEALTH_NOTIFY_INTERVAL_MS', {
    default: 10_000,
    min: 1000,
    max: 3_600_000,
    description:
      'While targets are set, the service evaluates by itself when no probe has for this long, in ms, so an ' +
      'outage is noticed without probe traffic.',
  }),
  appName: text('APP_NAME', {
    default: 'secuscan-health',
    description: 'The `service` every notification names.',
    // It goes into chat messages and ntfy's Title header: printable ASCII only, and short.
    check: (raw) =>
      raw.length > MAX_NAME_LENGTH || !/^[\x20-\x7e]+$/.test(raw)
        ? `must be at most ${MAX_NAME_LENGTH} printable ASCII characters`
        : undefined,
  }),
});

/** The parsed {@link NOTIFY_SETTINGS}. */
export type NotifySettings = SettingsOf<typeof NOTIFY_SETTINGS>;
