'use strict';
/**
 * The oldest Node.js the service runs on is the one range in package.json's `engines.node`. Every entry point
 * (`dist/main.js`, the CLI, the container healthcheck) requires this file before anything else, and `npm test` runs
 * it first, so on an older Node each stops with one line naming both versions (exit 1) instead of a stack trace from
 * deep inside (Node 20 fails on `enableCompileCache`, missing there).
 *
 * Plain CommonJS that every Node still around can parse, not TypeScript: it has to run before the build (`npm test`)
 * and on the very Node it turns away. The build copies it into dist/, next to which package.json stays (as in the
 * image).
 */
const { writeSync } = require('fs');
const { engines } = require('../package.json');

/**
 * The line to print when Node `running` (`process.versions.node`, e.g. `20.20.2`) is older than `range`, else
 * `undefined`. Only `>=major[.minor[.patch]]` ranges are read; anything else throws, so a changed `engines` that this
 * file cannot judge fails at the first `npm test` instead of letting every Node through.
 */
function nodeFloorProblem(running, range) {
  const floor = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!floor) throw new Error(`src/node-floor.cjs reads an engines.node of the form ">=24.11", not "${range}"`);
  const have = running.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const need = Number(floor[i + 1] || 0);
    if (have[i] > need) return undefined;
    if (have[i] < need) {
      return `secuscan-health: Node.js ${running} is too old; it needs Node.js ${range.trim()} (see the README's quick start)`;
    }
  }
  return undefined;
}

const problem = nodeFloorProblem(process.versions.node, engines.node);
if (problem) {
  writeSync(2, `${problem}\n`); // synchronous: process.exit must not cut it off
  process.exit(1);
}

module.exports = { nodeFloorProblem };
