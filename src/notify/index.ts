/**
 * Notifications' public face: the module the application composes, its settings, and the seam through which another
 * feature (maintenance windows) may hold notifications.
 */
export { NOTIFICATION_GATE } from './notification-gate';
export type { NotificationGate } from './notification-gate';
export { NotifyModule } from './notify.module';
export { NOTIFY_SETTINGS } from './notify.settings';
export type { NotifySettings } from './notify.settings';
