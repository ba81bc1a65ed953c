/**
 * The durable history's public face: the store (its module and service), its settings, and the uptime windows and
 * shapes the history route, the status page and the badges use.
 */
export { HistoryStoreModule } from './history-store.module';
export { HistoryStore } from './history-store.service';
export { HISTORY_STORE_SETTINGS, type HistoryStoreSettings } from './history-store.settings';
export type { StoredTransition } from './history-database';
export { DEFAULT_WINDOW, parseWindow, UPTIME_WINDOWS, type DayUptime, type Uptime, type UptimeWindow } from './uptime';
