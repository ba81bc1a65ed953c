import { defineSettings, integer, SettingsOf } from '../config/settings';

/** The history of evaluations and the live event stream. */
export const STATUS_SETTINGS = defineSettings('status', {
  historySize: integer('HEALTH_HISTORY_SIZE', {
    default: 500,
    min: 1,
    // Beyond this a long history is a cost (memory, pages to read) with no reader: answers are paged and a resumed
    // stream replays at most 100 transitions whatever is kept.
    max: 10_000,
    description:
      'Status transitions kept in memory, 1 to 10000, for the history (read in pages of at most 1000) and the ' +
      'timeline; a stream resumed with `Last-Event-ID` replays at most 100 of them.',
  }),
  eventsMax: integer('HEALTH_EVENTS_MAX', {
    default: 100,
    min: 1,
    max: 10_000,
    description:
      'Event streams open at once; more get 503. At most the shared connections of their listener ' +
      '([budget](operations.md#exposing-it-safely)); the start says how many fit.',
  }),
});

/** The parsed {@link STATUS_SETTINGS}. */
export type StatusSettings = SettingsOf<typeof STATUS_SETTINGS>;
