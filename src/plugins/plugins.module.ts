import { Module } from '@nestjs/common';
import { PluginDiagnosticsController } from './diagnostics/plugin-diagnostics.controller';
import { PluginRegistry } from './plugin-registry';

/**
 * Provides the {@link PluginRegistry} the plugins health indicator reads, and the diagnostics routes over it.
 * `AppConfig` comes from the global `AppConfigModule`, so this module imports nothing.
 */
@Module({
  controllers: [PluginDiagnosticsController],
  providers: [PluginRegistry],
  exports: [PluginRegistry],
})
export class PluginsModule {}
