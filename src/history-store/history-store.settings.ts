import { defineSettings, integer, SettingsOf, text } from '../config/settings';

/** Where the service keeps its data (the durable history, the maintenance window) and how long history is kept. */
export const HISTORY_STORE_SETTINGS = defineSettings('history', {
  dataDir: text('HEALTH_DATA_DIR', {
    default: './data',
    description:
      'Folder of `health.db`, the durable history (per-minute rollups per check, transitions), and of ' +
      '`maintenance.json`, the active maintenance window, relative to the working directory; unwritable: one ' +
      'warning each, the history and the window are kept in memory only.',
  }),
  retentionDays: integer('HEALTH_RETENTION_DAYS', {
    default: 30,
    min: 1,
    max: 366,
    description: 'Days of per-minute rollups and transitions kept in `health.db`; older rows are deleted hourly.',
  }),
});

/** The parsed {@link HISTORY_STORE_SETTINGS}. */
export type HistoryStoreSettings = SettingsOf<typeof HISTORY_STORE_SETTINGS>;
