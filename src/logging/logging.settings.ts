import { ConfigError, defineSettings, Setting, SettingsOf, text } from '../config/settings';
import type { LogFormat } from './app-logger';

const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

/** `LOG_FORMAT`, whose default depends on `NODE_ENV` and on where stdout goes. */
const logFormat: Setting<LogFormat> = {
  name: 'LOG_FORMAT',
  defaultText: '`json` when `NODE_ENV=production` or stdout is not a terminal, else `pretty`',
  description: '`json` (one object a line) or `pretty` (see [Logs](operations.md#logs)).',
  parse(raw, { env, stdoutIsTty }) {
    if (raw === undefined) return env.NODE_ENV?.trim() === 'production' || !stdoutIsTty ? 'json' : 'pretty';
    const format = LOG_FORMATS.find((name) => name === raw.toLowerCase());
    if (!format) throw new ConfigError(`LOG_FORMAT must be json or pretty (got "${raw}")`);
    return format;
  },
};

/** How the service logs. */
export const LOGGING_SETTINGS = defineSettings(
  'logging',
  {
    format: logFormat,
    noColor: text('NO_COLOR', {
      default: undefined,
      description: 'Any non-empty value turns colours off in pretty logs (no-color.org).',
    }),
  },
  ({ format, noColor }, { stdoutIsTty }) => ({
    format,
    /** Colours in log lines: pretty format on a terminal, and `NO_COLOR` unset. */
    colors: format === 'pretty' && stdoutIsTty && noColor === undefined,
  }),
);

/** The parsed {@link LOGGING_SETTINGS}. */
export type LoggingSettings = SettingsOf<typeof LOGGING_SETTINGS>;
