const { readFileSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const { default: Sequencer } = require('@jest/test-sequencer');

const ROOT = join(__dirname, '..', '..');
/** Seconds each test file took in a full run, committed: `node test/support/test-sequencer.cjs <jest --json report>`. */
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

// node test/support/test-sequencer.cjs report.json: writes durations.json from a `jest --json --outputFile` report.
if (require.main === module) {
  const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const durations = Object.fromEntries(
    report.testResults
      .map((result) => [relative(ROOT, result.name), Math.round((result.endTime - result.startTime) / 100) / 10])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(DURATIONS, `${JSON.stringify(durations, null, 2)}\n`);
}
