// The fault suite's order, two files at a time (scripts/run-tests.js): the CPU-heavy scenarios
// (kill -9 mid-render, SIGTERM mid-render) run while the Postgres outage waits out its 90 s, and the
// Redis outage and the re-send (mostly waiting too) after them. Left to itself Jest pairs the two
// heavy ones, and on 2 cores their render timing starves.
'use strict';
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = ['postgres-stopped', 'worker-kill-9', 'stack-sigterm', 'redis-stopped', 'resent-event'];
const rank = (test) => {
  const name = require('node:path').basename(test.path);
  const index = ORDER.findIndex((prefix) => name.startsWith(prefix));
  return index === -1 ? ORDER.length : index;
};

class FaultOrderSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}
module.exports = FaultOrderSequencer;
