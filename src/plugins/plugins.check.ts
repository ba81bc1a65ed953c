import type { CheckRegistration } from '../health';
import { PLUGINS_SETTINGS } from './plugins.settings';

/** The plugins check (not critical): its settings, and its module once they are valid. */
export const PLUGINS_CHECK: CheckRegistration = {
  settings: PLUGINS_SETTINGS,
  load: async () => {
    const [{ PluginsModule }, { PluginIndicator }] = await Promise.all([
      import('./plugins.module'),
      import('./plugin.health'),
    ]);
    return { module: PluginsModule, indicator: PluginIndicator };
  },
};
