import type { CheckRegistration } from '../health';
import { CACHE_SETTINGS } from './cache.settings';

/** The cache check (not critical): its settings, and its module once they are valid. */
export const CACHE_CHECK: CheckRegistration = {
  settings: CACHE_SETTINGS,
  load: async () => {
    const [{ CacheModule }, { CacheIndicator }] = await Promise.all([
      import('./cache.module'),
      import('./cache.health'),
    ]);
    return { module: CacheModule, indicator: CacheIndicator };
  },
};
