/**
 * What a metric is, independent of any result: the one description every dashboard, insight,
 * export and the page reads (DESIGN §11). Values of a `percent` metric are fractions (0.0123 is
 * 1.23 %); `currency` values are in the result's currency (major units, e.g. dollars).
 */
export const METRIC_UNITS = ['count', 'currency', 'percent', 'ratio'] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

/** Whether a rise is good news (true), bad news (false) or neither (null: spend, frequency). */
export type UpIsGood = boolean | null;

interface MetricBase {
  /** Stable id (camelCase), also the field name of the metric in view rows and insight numbers. */
  id: string;
  /** What a reader sees; a derived metric's label says what it divides. */
  label: string;
  unit: MetricUnit;
  upIsGood: UpIsGood;
}

/** A metric read from result columns: the sum of its column(s) over rows. */
export interface BaseMetric extends MetricBase {
  kind: 'base';
  /**
   * AMC column names, most specific first. Each stem also matches its `total_` prefix, an
   * attribution window suffix (`_14d`) and the click- / view-attributed parts (`_clicks`, `_views`).
   */
  stems: readonly string[];
  /**
   * Counts of distinct users (reach): adding two periods (or two overlapping campaigns) counts a
   * user twice, so such a sum across executions is unknown rather than a total.
   */
  distinctUsers?: boolean;
}

/** A ratio of two base metrics' sums, times `scale`: never an average of per-row ratios. */
export interface DerivedMetric extends MetricBase {
  kind: 'derived';
  numerator: string;
  denominator: string;
  /** e.g. 1000 for a cost per thousand impressions. */
  scale?: number;
}

/** A numeric column of a result that is no catalogue metric (custom SQL): summed as it is. */
export interface ColumnMetric extends MetricBase {
  kind: 'column';
  column: string;
}

export type MetricDefinition = BaseMetric | DerivedMetric | ColumnMetric;
