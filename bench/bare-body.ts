import { exampleReports } from '../src/health/health-examples';
import { shippedDefinitions } from '../test/support/shipped-checks';

/**
 * The environment of `bare-server.ts`: the documented healthy report (the size of a real one) in `BARE_BODY`. Built
 * here, in the bench, so the bare server loads nothing but `node:http` (the shipped checks' definitions would load
 * Terminus and TypeORM, most of a second of start-up the floor must not have).
 */
export function bareServerEnv(): Record<string, string> {
  // APP_VERSION set: the compiled bench has no package.json beside it to read a version from.
  const report = exampleReports(shippedDefinitions({ APP_VERSION: '1.0.0' }), '1.0.0').healthy;
  return { BARE_BODY: JSON.stringify(report) };
}
