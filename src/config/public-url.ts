import { ConfigError, type Setting } from './settings';

const EXAMPLE = 'https://health.example.com';

/**
 * An optional `http(s)://` URL at which people and tools reach the service from outside (behind a proxy, maybe under
 * a path), for the absolute links it hands out: the request's own `Host` is never used for them. The value comes
 * back without a trailing slash, so a route path is appended as is. A user name or password is refused, since the
 * URL is shown to whoever reads a link; so are a query and a fragment, which no appended path could keep. Messages
 * never echo the value, which might hold a credential.
 */
export function publicUrl(
  name: string,
  { description }: { readonly description: string },
): Setting<string | undefined> {
  return {
    name,
    defaultText: 'unset',
    description,
    parse(raw) {
      if (raw === undefined) return undefined;
      const url = URL.parse(raw);
      if (!url) throw new ConfigError(`${name} is not a valid URL (expected ${EXAMPLE})`);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new ConfigError(`${name} must start with http:// or https:// (expected ${EXAMPLE})`);
      }
      if (!url.hostname) throw new ConfigError(`${name} has no host (expected ${EXAMPLE})`);
      if (url.username || url.password) {
        throw new ConfigError(`${name} must not carry a user name or password: it is shown in every link`);
      }
      if (raw.includes('?') || raw.includes('#')) {
        throw new ConfigError(`${name} must not have a query or fragment: route paths are appended to it`);
      }
      return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    },
  };
}
