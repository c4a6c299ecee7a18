/**
 * The result profile: everything the dashboards and insights need from one AMC execution,
 * computed in a single streaming pass over the result with bounded memory (DESIGN §6).
 * Stored as `workflow_executions.result_profile` (json: written once, read whole), so the shape is versioned.
 */
export type ColumnKind = 'number' | 'date' | 'string' | 'array' | 'boolean';

export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** Rows where the cell was empty / NULL. */
  nullCount: number;
  /**
   * Cells that did not fit the kind decided from the first rows (e.g. text in a number column):
   * treated as NULL (not summed, not in `nullCount`) and counted here.
   */
  invalidCount?: number;
}

/** Sums over rows that AMC did not withhold; a metric that is NULL on a row adds nothing and is not counted. */
export type MetricTotals = Record<string, number>;

/**
 * Per-metric statistics of the non-withheld, non-NULL values of a bucket: what `avg`, `min`,
 * `max` and `count` aggregations need. A metric with no value in the bucket has no entry
 * (in `totals` either): it is unknown, not zero.
 */
export interface BucketMetricStats {
  /** Non-NULL values per metric (rows withheld by AMC are not counted). */
  valueCounts?: MetricTotals;
  min?: MetricTotals;
  max?: MetricTotals;
}

export interface DimensionBucket extends BucketMetricStats {
  /** The dimension value, `__other__` for everything past the top K, `__null__` for NULL cells. */
  key: string;
  rowCount: number;
  /** Rows with this key that AMC's privacy threshold withheld (filtered = true / NULL metrics). */
  filteredRowCount: number;
  totals: MetricTotals;
}

export interface DateBucket extends BucketMetricStats {
  /** ISO date (YYYY-MM-DD). */
  date: string;
  rowCount: number;
  /** Rows of this date that AMC withheld. */
  filteredRowCount?: number;
  totals: MetricTotals;
}

/**
 * A breakdown by a pair of dimensions, e.g. attribution model × campaign. Computed when one of the
 * pair is a low-cardinality "facet" (few distinct values in the first rows), so that shares within
 * a facet (share of credit per touch model) and filtered custom views are possible.
 */
export interface CrossBreakdown {
  dimensions: [string, string];
  /** Top K pairs by row count, then `__other__` (keys `['__other__', '__other__']`) when anything was folded. */
  buckets: CrossBucket[];
}

export interface CrossBucket extends BucketMetricStats {
  keys: [string, string];
  rowCount: number;
  filteredRowCount: number;
  totals: MetricTotals;
}

export interface MetricStats {
  /** Non-NULL values over non-withheld rows. */
  count: number;
  min: number;
  max: number;
}

export interface DimensionKeyCount {
  /** Distinct keys tracked exactly (at most the builder's key cap). */
  distinctKeys: number;
  /** False when keys first seen past the cap were folded into `__other__` without being told apart. */
  exact: boolean;
}

export const OTHER_BUCKET_KEY = '__other__';
export const NULL_BUCKET_KEY = '__null__';
export const DIMENSION_TOP_K = 1000;

export interface ResultProfile {
  version: 1;
  rowCount: number;
  /** Rows AMC withheld under its privacy thresholds: counted and shown, never summed as zero. */
  filteredRowCount: number;
  columns: ColumnProfile[];
  /** Numeric columns, in result order. */
  metrics: string[];
  /** String / array-like / boolean columns (except the `filtered` flag), in result order. */
  dimensions: string[];
  /** The first date column, if any: drives `dateSeries`. */
  dateColumn: string | null;
  totals: MetricTotals;
  /**
   * Per dimension: the top K keys sorted by rowCount desc (ties by key), then `__other__` last
   * (only when something was folded into it).
   */
  dimensionBreakdowns: Record<string, DimensionBucket[]>;
  /** Per date of `dateColumn`, ascending. Empty when there is no date column. */
  dateSeries: DateBucket[];
  /** The boolean column that flags rows withheld by AMC (`filtered`), if the result has one. */
  filteredColumn?: string | null;
  /** Per metric: count / min / max of its values (withheld rows excluded). */
  metricStats?: Record<string, MetricStats>;
  /** Per dimension: how many distinct keys were seen, and whether that count is exact. */
  dimensionKeyCounts?: Record<string, DimensionKeyCount>;
  /** Facet × dimension breakdowns (see CrossBreakdown). */
  crossBreakdowns?: CrossBreakdown[];
  /** What a reader should know about this profile (values read as NULL, folded keys, dropped dates). */
  notes?: string[];
}
