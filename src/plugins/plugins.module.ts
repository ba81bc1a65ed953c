import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PluginDiagnosticsController } from './diagnostics/plugin-diagnostics.controller';
import { PluginIndicator } from './plugin.health';
import { PluginRegistry } from './plugin-registry';

/**
 * The {@link PluginRegistry}, the diagnostics routes over it, and the plugins check's indicator, which it exports.
 * Its settings come from the global configuration module.
 */
@Module({
  imports: [TerminusModule],
  controllers: [PluginDiagnosticsController],
  providers: [PluginRegistry, PluginIndicator],
  exports: [PluginIndicator],
})
export class PluginsModule {}
