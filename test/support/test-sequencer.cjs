const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const { default: Sequencer } = require('@jest/test-sequencer');

const ROOT = join(__dirname, '..', '..');
/** Seconds each test file took in a run, committed: `node test/support/test-sequencer.cjs <jest --json report>…`. */
const DURATIONS = join(__dirname, 'durations.json');

function committedDurations() {
  try {
    return JSON.parse(readFileSync(DURATIONS, 'utf8'));
  } catch {
    return {};
  }
}

/**
 * Jest's own order (a file that failed last time first, then the slowest first by the durations of the last run on
 * this machine), with one change for the files it has no duration for, as in a fresh clone: jest puts those by size,
 * biggest first, and a short file that waits fifteen seconds on timers then started late and ended the run late. Here
 * they go by the durations committed in `durations.json`, and by size only when a file is not there.
 */
class CommittedDurationsFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const unknown = (test) => test.duration === undefined && !this.hasFailed(test);
    const committed = committedDurations();
    const seconds = (test) => committed[relative(ROOT, test.path)] ?? -1;
    // Stable: files with no committed duration keep jest's order by size, after the others.
    const ordered = sorted.filter(unknown).sort((a, b) => seconds(b) - seconds(a));
    let next = 0;
    return sorted.map((test) => (unknown(test) ? ordered[next++] : test));
  }
}

module.exports = CommittedDurationsFirst;

// node test/support/test-sequencer.cjs report.json…: puts the durations of `jest --json --outputFile` reports into
// durations.json, keeping those of the files they did not run, dropping files that no longer exist.
if (require.main === module) {
  const durations = committedDurations();
  for (const file of process.argv.slice(2)) {
    for (const result of JSON.parse(readFileSync(file, 'utf8')).testResults) {
      durations[relative(ROOT, result.name)] = Math.round((result.endTime - result.startTime) / 100) / 10;
    }
  }
  const kept = Object.keys(durations)
    .filter((path) => existsSync(join(ROOT, path)))
    .sort();
  writeFileSync(
    DURATIONS,
    `${JSON.stringify(Object.fromEntries(kept.map((path) => [path, durations[path]])), null, 2)}\n`,
  );
}
