import type { BucketMetricStats, MetricTotals } from '@amc-reports/contracts/src/result-profile';
import { cleanFloat } from '@amc-reports/metrics';

// Per metric: sum, Neumaier compensation, value count, min, max — one flat array per bucket
// keeps thousands of buckets cheap (no per-metric objects while streaming).
const STRIDE = 5;
const SUM = 0;
const COMPENSATION = 1;
const COUNT = 2;
const MIN = 3;
const MAX = 4;

/**
 * Row count, withheld-row count and per-metric sums / counts / min / max of one bucket (the whole
 * result, a dimension key, a date). Sums are compensated (Neumaier) so a million decimal sales
 * values add up to the cent. Withheld rows are counted and never added: AMC withheld them, they
 * are not zeros.
 */
export class MetricAccumulator {
  rowCount = 0;
  filteredRowCount = 0;
  private readonly stats: Float64Array;

  constructor(private readonly metricCount: number) {
    this.stats = new Float64Array(metricCount * STRIDE);
    initStats(this.stats, 0, metricCount);
  }

  /** `values[m]` is NaN for a NULL (or invalid) cell. */
  add(values: Float64Array, filtered: boolean): void {
    this.rowCount++;
    if (filtered) this.filteredRowCount++;
    else addValues(this.stats, 0, this.metricCount, values);
  }

  /** A copy of one row of a MetricTable. */
  static fromTable(metricCount: number, rowCount: number, filteredRowCount: number, stats: Float64Array, base: number): MetricAccumulator {
    const accumulator = new MetricAccumulator(metricCount);
    accumulator.rowCount = rowCount;
    accumulator.filteredRowCount = filteredRowCount;
    accumulator.stats.set(stats.subarray(base, base + metricCount * STRIDE));
    return accumulator;
  }

  merge(other: MetricAccumulator): void {
    this.rowCount += other.rowCount;
    this.filteredRowCount += other.filteredRowCount;
    for (let metric = 0; metric < this.metricCount; metric++) {
      const offset = metric * STRIDE;
      addCompensated(this.stats, offset, other.stats[offset + SUM]);
      this.stats[offset + COMPENSATION] += other.stats[offset + COMPENSATION];
      this.stats[offset + COUNT] += other.stats[offset + COUNT];
      this.stats[offset + MIN] = Math.min(this.stats[offset + MIN], other.stats[offset + MIN]);
      this.stats[offset + MAX] = Math.max(this.stats[offset + MAX], other.stats[offset + MAX]);
    }
  }

  valueCount(metric: number): number {
    return this.stats[metric * STRIDE + COUNT];
  }

  min(metric: number): number {
    return this.stats[metric * STRIDE + MIN];
  }

  max(metric: number): number {
    return this.stats[metric * STRIDE + MAX];
  }

  /** Sums of the metrics that had at least one value: a metric never seen is unknown, not 0. */
  totals(metrics: readonly string[]): MetricTotals {
    const totals: MetricTotals = {};
    metrics.forEach((name, metric) => {
      const offset = metric * STRIDE;
      if (this.stats[offset + COUNT] > 0) totals[name] = cleanFloat(this.stats[offset + SUM] + this.stats[offset + COMPENSATION]);
    });
    return totals;
  }

  bucketStats(metrics: readonly string[]): BucketMetricStats {
    const valueCounts: MetricTotals = {};
    const min: MetricTotals = {};
    const max: MetricTotals = {};
    metrics.forEach((name, metric) => {
      const count = this.valueCount(metric);
      if (count === 0) return;
      valueCounts[name] = count;
      min[name] = this.min(metric);
      max[name] = this.max(metric);
    });
    return { valueCounts, min, max };
  }
}

/**
 * The buckets of one dimension (or date, or pair) as one table: a row per bucket id, all stats in
 * one Float64Array. Adding a row to bucket `id` is then plain indexing — no object per bucket to
 * chase on the hot path of the profile (eight bucket adds per result row). Same arithmetic as
 * MetricAccumulator (one `addValues`), so a bucket's figures do not depend on where it lives.
 */
export class MetricTable {
  private rowCounts = new Float64Array(16);
  private filteredCounts = new Float64Array(16);
  private stats: Float64Array;
  private readonly rowStride: number;
  size = 0;

  constructor(private readonly metricCount: number) {
    this.rowStride = metricCount * STRIDE;
    this.stats = new Float64Array(16 * this.rowStride);
  }

  /** A new, empty bucket; returns its id. */
  addBucket(): number {
    if (this.size === this.rowCounts.length) this.grow();
    initStats(this.stats, this.size * this.rowStride, this.metricCount);
    return this.size++;
  }

  add(id: number, values: Float64Array, filtered: boolean): void {
    this.rowCounts[id]++;
    if (filtered) this.filteredCounts[id]++;
    else addValues(this.stats, id * this.rowStride, this.metricCount, values);
  }

  accumulator(id: number): MetricAccumulator {
    return MetricAccumulator.fromTable(this.metricCount, this.rowCounts[id], this.filteredCounts[id], this.stats, id * this.rowStride);
  }

  private grow(): void {
    const capacity = this.rowCounts.length * 2;
    const grown = (from: Float64Array, length: number): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(length);
      to.set(from);
      return to;
    };
    this.rowCounts = grown(this.rowCounts, capacity);
    this.filteredCounts = grown(this.filteredCounts, capacity);
    this.stats = grown(this.stats, capacity * this.rowStride);
  }
}

function initStats(stats: Float64Array, base: number, metricCount: number): void {
  for (let metric = 0; metric < metricCount; metric++) {
    stats[base + metric * STRIDE + MIN] = Number.POSITIVE_INFINITY;
    stats[base + metric * STRIDE + MAX] = Number.NEGATIVE_INFINITY;
  }
}

/** Adds one row's values (NaN: no value) to the per-metric stats starting at `base`. */
function addValues(stats: Float64Array, base: number, metricCount: number, values: Float64Array): void {
  for (let metric = 0, offset = base; metric < metricCount; metric++, offset += STRIDE) {
    const value = values[metric];
    if (value !== value) continue; // NaN: no value
    addCompensated(stats, offset, value);
    stats[offset + COUNT]++;
    if (value < stats[offset + MIN]) stats[offset + MIN] = value;
    if (value > stats[offset + MAX]) stats[offset + MAX] = value;
  }
}

function addCompensated(stats: Float64Array, offset: number, value: number): void {
  const sum = stats[offset + SUM];
  const next = sum + value;
  stats[offset + COMPENSATION] += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
  stats[offset + SUM] = next;
}

// One rule for float noise, the metric layer's (sums here, ratios there).
export { cleanFloat } from '@amc-reports/metrics';
