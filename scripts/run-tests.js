#!/usr/bin/env node
// `npm test`: the unit and integration projects two files at a time (most integration files wait
// on the servers they start, so two share 2 cores well: 350 s instead of 790 s one at a time),
// then the fault suite (test/faults) two files at a time. Jest has no per-project worker count: the fault files spend
// most of their minutes waiting out the outages they inject, so two of them share the machine
// well, while beside the integration files (on 2 cores) they starve those files' timing.
// One closing summary line for both runs (scripts/jest-summary-reporter.js writes each run's).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'amc-test-summary-')), 'runs.jsonl');
const extra = process.argv.slice(2);
const runs = [
  ['--selectProjects', 'unit', 'integration', '--maxWorkers', '2', ...extra],
  ['--selectProjects', 'faults', '--maxWorkers', '2', '--testSequencer', path.join(root, 'test', 'faults', 'fault-order.sequencer.js'), ...extra],
];

let exitCode = 0;
for (const args of runs) {
  const result = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...args], {
    cwd: root, stdio: 'inherit', env: { ...process.env, AMC_TEST_SUMMARY_FILE: summaryFile },
  });
  if (result.status !== 0) exitCode = result.status ?? 1;
}
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean) : []) {
  const run = JSON.parse(line);
  for (const key of Object.keys(totals)) totals[key] += run[key];
}
fs.rmSync(path.dirname(summaryFile), { recursive: true, force: true });
process.stdout.write(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(exitCode);
