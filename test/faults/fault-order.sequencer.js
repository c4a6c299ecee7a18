// The fault suite's order, two files at a time (scripts/run-tests.js). Measured lengths: Postgres
// outage 130-145 s, Redis outage 115-125 s, SIGTERM 75-110 s, kill -9 60-75 s, re-send 40-50 s.
// Kill -9 (CPU-heavy) runs while the Postgres outage waits out its 90 s, then the Redis outage;
// SIGTERM (CPU-heavy) follows the Postgres file, while the Redis outage waits, and the re-send
// comes last. That keeps the two heavy ones apart (left to itself Jest pairs them, and on 2 cores
// their render timing starves) and the two lanes even: about 230 s, where Postgres then Redis on
// one lane took 255 s.
'use strict';
const Sequencer = require('@jest/test-sequencer').default;

const ORDER = ['postgres-stopped', 'worker-kill-9', 'redis-stopped', 'stack-sigterm', 'resent-event'];
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
