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
    for (let metric = 0; metric < metricCount; metric++) {
      this.stats[metric * STRIDE + MIN] = Number.POSITIVE_INFINITY;
      this.stats[metric * STRIDE + MAX] = Number.NEGATIVE_INFINITY;
    }
  }

  /** `values[m]` is NaN for a NULL (or invalid) cell. */
  add(values: Float64Array, filtered: boolean): void {
    this.rowCount++;
    if (filtered) {
      this.filteredRowCount++;
      return;
    }
    const stats = this.stats;
    for (let metric = 0; metric < this.metricCount; metric++) {
      const value = values[metric];
      if (value !== value) continue; // NaN: no value
      const offset = metric * STRIDE;
      addCompensated(stats, offset, value);
      stats[offset + COUNT]++;
      if (value < stats[offset + MIN]) stats[offset + MIN] = value;
      if (value > stats[offset + MAX]) stats[offset + MAX] = value;
    }
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

function addCompensated(stats: Float64Array, offset: number, value: number): void {
  const sum = stats[offset + SUM];
  const next = sum + value;
  stats[offset + COMPENSATION] += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
  stats[offset + SUM] = next;
}

// One rule for float noise, the metric layer's (sums here, ratios there).
export { cleanFloat } from '@amc-reports/metrics';
