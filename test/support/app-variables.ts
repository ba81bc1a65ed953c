import { referenceGroups } from '../../src/configuration-reference';
import { readRepoFile } from './repository';

/**
 * The environment variables the service knows, taken from the code that reads them, so a deployment file is
 * checked against a new variable without editing the tests.
 */

/** Variables the app reads: every setting its features declare. */
function appVariables(): Set<string> {
  return new Set(referenceGroups().flatMap((group) => Object.values(group.settings).map((setting) => setting.name)));
}

/** Variables the healthcheck script reads. */
function healthcheckVariables(): Set<string> {
  const source = readRepoFile('src', 'cli', 'healthcheck.ts');
  return new Set([...source.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
}

/** What the app's config parser reads: all a ConfigMap may set. */
export const APP_VARIABLES = appVariables();

/** What the app or the container healthcheck reads, and NODE_ENV: all a compose service may set. */
export const KNOWN_VARIABLES = new Set([...APP_VARIABLES, ...healthcheckVariables(), 'NODE_ENV']);
