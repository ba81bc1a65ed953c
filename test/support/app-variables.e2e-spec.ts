/**
 * Self-test of app-variables.ts: the deployment suites (test/deploy/) judge every variable a compose service or
 * ConfigMap sets by these lists, so an extraction that found nothing would let any variable through.
 */
import { APP_VARIABLES, KNOWN_VARIABLES } from './app-variables';

describe('the known configuration variables', () => {
  it('are read from the app config and the healthcheck script (the extraction still works)', () => {
    const expected = ['PORT', 'HOST', 'DATABASE_URL', 'REDIS_URL', 'PLUGINS_DIR', 'APP_VERSION', 'DISABLED_PLUGINS'];
    for (const name of [...expected, 'HEALTH_SHUTDOWN_DELAY_MS']) expect(APP_VARIABLES).toContain(name);
    expect(KNOWN_VARIABLES).toContain('HEALTHCHECK_URL');
    expect(KNOWN_VARIABLES).toContain('HEALTHCHECK_TIMEOUT_MS');
  });
});
