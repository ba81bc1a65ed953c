const { default: Sequencer } = require('@jest/test-sequencer');

/** Files that wait on servers and timeouts: the integration files, many seconds each. */
const waits = (test) => test.path.endsWith('.e2e-spec.ts');

/**
 * Jest's own order (a file that failed last time first, then the slowest first by the durations of the last run), with
 * one change for the files it has no duration for, as in a fresh clone: it puts those by size, biggest first, so a
 * short integration file that waits fifteen seconds started after the unit specs and ended the run late. Here they go
 * before the unit specs, which then fill the workers' gaps at the end.
 */
class WaitingFilesFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const unknown = (test) => test.duration === undefined && !this.hasFailed(test);
    const fresh = sorted.filter(unknown);
    const ordered = [...fresh.filter(waits), ...fresh.filter((test) => !waits(test))];
    let next = 0;
    return sorted.map((test) => (unknown(test) ? ordered[next++] : test));
  }
}

module.exports = WaitingFilesFirst;
