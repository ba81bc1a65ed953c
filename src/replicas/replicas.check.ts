import type { CheckRegistration } from '../health';
import { REPLICAS_SETTINGS } from './replicas.settings';

/** The replicas check (not critical): run only when DATABASE_REPLICA_URLS names some; its settings, its module. */
export const REPLICAS_CHECK: CheckRegistration = {
  settings: REPLICAS_SETTINGS,
  enabled: (settings) => settings.get(REPLICAS_SETTINGS).replicas.length > 0,
  load: async () => {
    const [{ ReplicasModule }, { ReplicasIndicator }] = await Promise.all([
      import('./replicas.module'),
      import('./replicas.health'),
    ]);
    return { module: ReplicasModule, indicator: ReplicasIndicator };
  },
};
