import { ConfigError, defineSettings, oneOf, SettingsOf, text } from '../config/settings';

/** Who may see details: the checks' details, diagnostics, history, events, the status page and metrics. */
export type DetailsPolicy = 'always' | 'when-authorized' | 'never';
const DETAILS_POLICIES: readonly DetailsPolicy[] = ['always', 'when-authorized', 'never'];

/** A token shorter than this is a password someone could guess; refuse it at start. */
const MIN_TOKEN_LENGTH = 16;

/** Who sees details, and the token that unlocks them. */
export const ACCESS_SETTINGS = defineSettings(
  'access',
  {
    details: oneOf('HEALTH_DETAILS', DETAILS_POLICIES, {
      default: 'always',
      description:
        'Who sees details: `always`, `when-authorized` (a bearer token) or `never`; probes never need a token ' +
        '(see [Exposing it safely](operations.md#exposing-it-safely)).',
    }),
    token: text('HEALTH_TOKEN', {
      default: undefined,
      description:
        `The bearer token for details under \`when-authorized\` (required then) and for maintenance windows under ` +
        `every policy: at least ${MIN_TOKEN_LENGTH} printable characters.`,
    }),
  },
  ({ details, token }) => {
    // The token is a secret: say what is wrong with it, never what it is.
    if (!token) {
      if (details === 'when-authorized') {
        throw new ConfigError('HEALTH_TOKEN is required when HEALTH_DETAILS=when-authorized');
      }
      return { details, token: undefined };
    }
    // Kept under every policy: maintenance windows need it whoever may see details.
    if (token.length < MIN_TOKEN_LENGTH || !/^[\x21-\x7e]+$/.test(token)) {
      throw new ConfigError(
        `HEALTH_TOKEN must be at least ${MIN_TOKEN_LENGTH} printable characters without spaces (e.g. openssl rand -hex 32)`,
      );
    }
    return { details, token };
  },
);

/** The parsed {@link ACCESS_SETTINGS}: `token` is set whenever `HEALTH_TOKEN` is, and always under `when-authorized`. */
export type AccessSettings = SettingsOf<typeof ACCESS_SETTINGS>;
