/**
 * Result-profile benchmark (DESIGN §6: one streaming pass, bounded memory).
 *
 *   node -r @swc-node/register bench/result-profile.bench.ts [rows] [rounds]
 *
 * Generates an AMC-like CSV (default 1,000,000 rows × 10 columns) in a temp directory, then runs
 * `rounds` times (default 3), alternating, each in its own child process so peak RSS is not shared:
 *   (a) baseline: csv-parse alone, counting records (parse only);
 *   (b) profileCsvStream on the same file (the whole profile).
 * Prints rows/s of both per round, the profile's throughput as a multiple of csv-parse's (per round
 * and of the medians), and the peak RSS of each (sampled every 10 ms, and the kernel's max RSS from
 * process.resourceUsage()), with the CPU-time ratio beside it. Alternating keeps the ratio fair on
 * a machine shared with other work.
 * Targets: (b) ≥ 1.5× (a)'s rows/s, (b) peak RSS < 300 MB; the exit code is 1 when one is missed.
 */
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { profileCsvStream } from '@amc-reports/result-profile';
import { seededRandom } from './seeded-random';

type Mode = 'baseline' | 'profile';

interface Measurement {
  mode: Mode;
  rows: number;
  seconds: number;
  /** CPU time (user + system) of the measured work: less sensitive to other load on the machine. */
  cpuSeconds: number;
  peakRssSampledMb: number;
  maxRssMb: number;
  summary: string;
}

const RSS_TARGET_MB = 300;
const RATIO_TARGET = 1.5;
const CAMPAIGNS = 2_500;
const SEGMENTS = 40;
const AD_PRODUCTS = ['SPONSORED_PRODUCTS', 'SPONSORED_BRANDS', 'SPONSORED_DISPLAY', 'DSP'];

const random = seededRandom;

async function generateCsv(path: string, rows: number): Promise<void> {
  const next = random(42);
  const start = Date.UTC(2026, 0, 1);
  async function* lines(): AsyncGenerator<string> {
    yield 'event_date,campaign,ad_product_type,audience_segment,impressions,clicks,total_cost,purchases,product_sales,filtered\n';
    const batch: string[] = [];
    for (let row = 0; row < rows; row++) {
      const date = new Date(start + Math.floor(next() * 365) * 86_400_000).toISOString().slice(0, 10);
      const campaign = `"Campaign ${Math.floor(next() * CAMPAIGNS)}, ""${row % 7 === 0 ? 'Q4' : 'evergreen'}"""`;
      const adProduct = AD_PRODUCTS[Math.floor(next() * AD_PRODUCTS.length)];
      const segment = `segment_${Math.floor(next() * SEGMENTS)}`;
      if (next() < 0.02) {
        batch.push(`${date},${campaign},${adProduct},${segment},,,,,,true`);
      } else {
        const impressions = 1000 + Math.floor(next() * 90_000);
        const clicks = Math.floor(impressions * next() * 0.02);
        const purchases = Math.floor(clicks * next() * 0.1);
        batch.push(
          `${date},${campaign},${adProduct},${segment},${impressions},${clicks},${(impressions * 0.008 * next()).toFixed(2)},${purchases},${(purchases * 35 * next()).toFixed(2)},false`,
        );
      }
      if (batch.length === 10_000) {
        yield `${batch.join('\n')}\n`;
        batch.length = 0;
      }
    }
    if (batch.length > 0) yield `${batch.join('\n')}\n`;
  }
  await pipeline(lines, createWriteStream(path));
}

async function countWithCsvParse(path: string): Promise<number> {
  let records = 0;
  await pipeline(createReadStream(path), parse({ bom: true, relax_column_count: false, skip_empty_lines: true }), async (source: AsyncIterable<string[]>) => {
    for await (const _record of source) records++;
  });
  return records - 1; // the header
}

async function measure(mode: Mode, path: string): Promise<Measurement> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 10);
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  let rows: number;
  let summary: string;
  if (mode === 'baseline') {
    rows = await countWithCsvParse(path);
    summary = `${rows} records`;
  } else {
    const profile = await profileCsvStream(createReadStream(path));
    rows = profile.rowCount;
    summary =
      `rowCount=${profile.rowCount} filtered=${profile.filteredRowCount} metrics=${profile.metrics.length} ` +
      `dimensions=${profile.dimensions.join('/')} dates=${profile.dateSeries.length} ` +
      `campaign keys=${profile.dimensionBreakdowns.campaign?.length} crosses=${profile.crossBreakdowns?.length} ` +
      `impressions=${profile.totals.impressions}`;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return {
    mode,
    rows,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssSampledMb: peakRss / 1024 / 1024,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    summary,
  };
}

const rate = (measurement: Measurement): number => measurement.rows / measurement.seconds;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runChild(mode: Mode, path: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', mode, path], { execArgv: ['-r', '@swc-node/register'] });
    child.once('message', (message) => resolve(message as Measurement));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${mode} child exited with code ${code}`));
    });
  });
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') {
    const result = await measure(process.argv[3] as Mode, process.argv[4]);
    process.send!(result, () => process.exit(0));
    return;
  }
  const rows = Number(process.argv[2] ?? 1_000_000);
  const directory = mkdtempSync(join(tmpdir(), 'amc-profile-bench-'));
  const path = join(directory, 'result.csv');
  try {
    const generationStarted = Date.now();
    await generateCsv(path, rows);
    const sizeMb = statSync(path).size / 1024 / 1024;
    console.log(`generated ${rows.toLocaleString('en-US')} rows, ${sizeMb.toFixed(1)} MB in ${((Date.now() - generationStarted) / 1000).toFixed(1)} s`);

    const rounds = Math.max(1, Number(process.argv[3] ?? 3));
    const baselines: Measurement[] = [];
    const profiles: Measurement[] = [];
    for (let round = 1; round <= rounds; round++) {
      const baseline = await runChild('baseline', path);
      const profile = await runChild('profile', path);
      baselines.push(baseline);
      profiles.push(profile);
      for (const result of [baseline, profile]) {
        console.log(
          `round ${round} ${result.mode.padEnd(8)} ${Math.round(rate(result)).toLocaleString('en-US').padStart(10)} rows/s  ` +
            `${result.seconds.toFixed(2)} s (${result.cpuSeconds.toFixed(2)} s CPU)  peak RSS ${result.peakRssSampledMb.toFixed(0)} MB (sampled), ${result.maxRssMb.toFixed(0)} MB (max RSS)  ${result.summary}`,
        );
      }
      console.log(`round ${round} profile / csv-parse parse-only: ${(rate(profile) / rate(baseline)).toFixed(2)}×`);
    }
    const baselineRate = median(baselines.map(rate));
    const profileRate = median(profiles.map(rate));
    const ratio = profileRate / baselineRate;
    console.log(
      `median of ${rounds}: csv-parse parse-only ${Math.round(baselineRate).toLocaleString('en-US')} rows/s, ` +
        `profile ${Math.round(profileRate).toLocaleString('en-US')} rows/s`,
    );
    console.log(`profile throughput / csv-parse parse-only: ${ratio.toFixed(2)}× (target ≥ ${RATIO_TARGET}×: ${ratio >= RATIO_TARGET ? 'met' : 'MISSED'})`);
    const cpuRatio = median(baselines.map((baseline) => baseline.cpuSeconds)) / median(profiles.map((profile) => profile.cpuSeconds));
    console.log(`  the same by CPU time (what the other processes on the machine do not affect as much): ${cpuRatio.toFixed(2)}×`);
    const peak = Math.max(...profiles.map((profile) => Math.max(profile.peakRssSampledMb, profile.maxRssMb)));
    console.log(`profile peak RSS ${peak.toFixed(0)} MB: ${peak < RSS_TARGET_MB ? 'within' : 'OVER'} the ${RSS_TARGET_MB} MB target`);
    if (peak >= RSS_TARGET_MB || ratio < RATIO_TARGET) process.exitCode = 1;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
