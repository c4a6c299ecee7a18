// The unit and integration run's order (scripts/run-tests.js), two files at a time. Jest sorts by
// the durations it cached on an earlier run, and without them (a fresh clone, as CI runs) by file
// size, so a minute-long e2e file could start last and run alone at the end: the run took 496 s
// where its files summed to 913 s. The files measured longest start first; the rest keep Jest's order.
'use strict';
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

// Longest first (seconds in a slow CI run): 84, 77, 60, 40, 40, 39, 38, 34, 34, 33.
const LONGEST = [
  'apps/export-worker/test/export-recovery.e2e-spec.ts', 'test/cli.e2e-spec.ts', 'test/apps-boot.e2e-spec.ts',
  'apps/gateway/test/openapi-fuzz.e2e-spec.ts', 'test/web/delivery-in-browser.e2e-spec.ts', 'libs/db/src/schema/migrations.int-spec.ts',
  'test/web/periods-in-browser.e2e-spec.ts', 'test/metrics/dashboard-types.e2e-spec.ts', 'test/web/dashboard-in-browser.e2e-spec.ts',
  'test/demo.e2e-spec.ts',
].map((file) => path.join(__dirname, '..', file));

class LongestFirstSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const rank = (test) => {
      const index = LONGEST.indexOf(test.path);
      return index === -1 ? LONGEST.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
module.exports = LongestFirstSequencer;
