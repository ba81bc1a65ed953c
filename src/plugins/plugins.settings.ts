import { defineSettings, integer, list, SettingsOf, text } from '../config/settings';

/** The scanner's plugin registry: where the manifests are, which plugins are off, where binaries are looked for. */
export const PLUGINS_SETTINGS = defineSettings('plugins', {
  dir: text('PLUGINS_DIR', {
    default: './plugins',
    description: 'The plugin folders, one `metadata.json` each (SecuScan’s manifest format).',
  }),
  disabled: list('DISABLED_PLUGINS', { description: 'Comma-separated plugin ids that are disabled.' }),
  depsTtlMs: integer('HEALTH_PLUGIN_DEPS_TTL_MS', {
    default: 60_000,
    min: 1000,
    max: 86_400_000,
    description: 'How often the installed Python and Debian packages are listed again, in ms.',
  }),
  binaryPath: text('PATH', {
    default: '',
    defaultText: 'the process’s',
    description: 'Where a plugin’s binaries are looked for.',
  }),
});

/** The parsed {@link PLUGINS_SETTINGS}. */
export type PluginsSettings = SettingsOf<typeof PLUGINS_SETTINGS>;
