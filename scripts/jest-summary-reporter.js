// Prints one plain closing line ("tests: N passed, N failed, N skipped") that CI reads,
// since Jest's own summary spreads the counts over several lines. Under scripts/run-tests.js
// (npm test: two Jest runs) each run's counts go to AMC_TEST_SUMMARY_FILE instead, and the
// runner prints the one line for both.
'use strict';
const fs = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const counts = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    if (process.env.AMC_TEST_SUMMARY_FILE) fs.appendFileSync(process.env.AMC_TEST_SUMMARY_FILE, `${JSON.stringify(counts)}\n`);
    else process.stdout.write(`\ntests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
