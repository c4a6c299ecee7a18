/**
 * npm run bench: every benchmark, one after another (they measure against raw baselines taken in
 * the same run, so they must not share the machine with each other). Each runs in its own process.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHES = ['events.bench.ts', 'storm.bench.ts', 'result-profile.bench.ts', 'insights.bench.ts', 'planted-effects.bench.ts', 'insight-worker.bench.ts', 'exports.bench.ts', 'export-fairness.bench.ts', 'delivery.bench.ts'];
const only = process.argv.slice(2);
let failed = 0;
for (const file of BENCHES.filter((name) => only.length === 0 || only.some((o) => name.startsWith(o)))) {
  process.stdout.write(`\n=== ${file}\n`);
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, file)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`${file} exited ${run.status}\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
