/**
 * The result profile: everything the dashboards and insights need from one AMC execution,
 * computed in a single streaming pass over the result with bounded memory (DESIGN §6).
 * Stored as `workflow_executions.result_profile` (jsonb), so the shape is versioned.
 */
export type ColumnKind = 'number' | 'date' | 'string' | 'array' | 'boolean';

export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  /** Rows where the cell was empty / NULL. */
  nullCount: number;
}

/** Sums over rows that AMC did not withhold; a metric that is NULL on a row adds nothing and is not counted. */
export type MetricTotals = Record<string, number>;

export interface DimensionBucket {
  /** The dimension value, or `__other__` for everything past the top K. */
  key: string;
  rowCount: number;
  /** Rows with this key that AMC's privacy threshold withheld (filtered = true / NULL metrics). */
  filteredRowCount: number;
  totals: MetricTotals;
}

export interface DateBucket {
  /** ISO date (YYYY-MM-DD). */
  date: string;
  rowCount: number;
  totals: MetricTotals;
}

export const OTHER_BUCKET_KEY = '__other__';
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
  /** Per dimension: the top K keys (by row count, ties by key) plus `__other__`, sorted by rowCount desc. */
  dimensionBreakdowns: Record<string, DimensionBucket[]>;
  /** Per date of `dateColumn`, ascending. Empty when there is no date column. */
  dateSeries: DateBucket[];
}
