import { defineSettings, integer, list, SettingsOf, text } from '../config/settings';

/** The scanner's plugin registry: where the manifests are, which plugins are off, where binaries are looked for. */
export const PLUGINS_SETTINGS = defineSettings('plugins', {
  dir: text('PLUGINS_DIR', {
    default: './plugins',
    description: 'The plugin registry: `<dir>/<id>/metadata.json`, in SecuScan’s manifest format.',
  }),
  disabled: list('DISABLED_PLUGINS', {
    description: 'Comma-separated plugin ids that are `disabled` (not counted as runnable).',
  }),
  depsTtlMs: integer('HEALTH_PLUGIN_DEPS_TTL_MS', {
    default: 60_000,
    min: 1000,
    max: 86_400_000,
    description: 'How often the installed Python and Debian packages are listed again, in ms.',
  }),
  binaryPath: text('PATH', {
    default: '',
    defaultText: 'inherited',
    description: 'Where plugin binaries (and the `python3` and `dpkg-query` used for their packages) are looked up.',
  }),
});

/** The parsed {@link PLUGINS_SETTINGS}. */
export type PluginsSettings = SettingsOf<typeof PLUGINS_SETTINGS>;
