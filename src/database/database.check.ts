import type { CheckRegistration } from '../health';
import { DATABASE_SETTINGS } from './database.settings';

/** The database check (critical): its settings, and its module once they are valid. */
export const DATABASE_CHECK: CheckRegistration = {
  settings: DATABASE_SETTINGS,
  load: async () => {
    const [{ DatabaseModule }, { DatabaseIndicator }] = await Promise.all([
      import('./database.module'),
      import('./database.health'),
    ]);
    return { module: DatabaseModule, indicator: DatabaseIndicator };
  },
};
