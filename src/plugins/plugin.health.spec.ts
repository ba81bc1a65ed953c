import { HealthIndicatorService } from '@nestjs/terminus';
import type { PluginEvaluation } from './plugin-evaluation';
import { PluginIndicator } from './plugin.health';
import type { PluginRegistry } from './plugin-registry';

function indicatorOver(evaluation: PluginEvaluation): PluginIndicator {
  const registry = { evaluate: () => Promise.resolve(evaluation) } as unknown as PluginRegistry;
  return new PluginIndicator(registry, new HealthIndicatorService());
}

describe('PluginIndicator', () => {
  const checkedAt = new Date();

  it('carries all five counts, 0 each, when PLUGINS_DIR cannot be read', async () => {
    const error = 'cannot read plugins directory /srv/plugins: does not exist';
    const result = await indicatorOver({ loaded: false, error, checkedAt }).check();
    expect(result).toEqual({
      plugins: { status: 'down', total: 0, runnable: 0, blocked: 0, disabled: 0, invalid: 0, detail: error },
    });
  });

  it('carries all five counts when the folder is empty (up) and declares each of them always present', async () => {
    const indicator = indicatorOver({ loaded: true, dir: '/srv/plugins', plugins: [], invalid: [], checkedAt });
    expect(await indicator.check()).toEqual({
      plugins: { status: 'up', total: 0, runnable: 0, blocked: 0, disabled: 0, invalid: 0 },
    });
    const always = Object.entries(indicator.definition.fields ?? {}).filter(([, field]) => field.always);
    expect(always.map(([name]) => name)).toEqual(['total', 'runnable', 'blocked', 'disabled', 'invalid']);
  });
});
