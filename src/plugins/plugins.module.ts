import { Module } from '@nestjs/common';
import { PluginRegistry } from './plugin-registry';

/**
 * Provides the {@link PluginRegistry} the plugins health indicator reads. `AppConfig` comes from the global
 * `AppConfigModule`, so this module imports nothing.
 */
@Module({
  providers: [PluginRegistry],
  exports: [PluginRegistry],
})
export class PluginsModule {}
