import { defineSettings, integer, SettingsOf } from '../config/settings';

/** The history of evaluations and the live event stream. */
export const STATUS_SETTINGS = defineSettings('status', {
  historySize: integer('HEALTH_HISTORY_SIZE', {
    default: 500,
    min: 1,
    max: 100_000,
    description: 'How many status transitions the history keeps in memory.',
  }),
  eventsMax: integer('HEALTH_EVENTS_MAX', {
    default: 100,
    min: 1,
    max: 10_000,
    description: 'How many clients may hold the event stream open at once.',
  }),
});

/** The parsed {@link STATUS_SETTINGS}. */
export type StatusSettings = SettingsOf<typeof STATUS_SETTINGS>;
