import type { BuiltView, DashboardType, HistoryPointRef } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { InsightSettings } from './insight-metrics';

export const FINDING_TYPES = ['trend', 'anomaly', 'comparison', 'recommendation', 'summary'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/**
 * How a number is meant to be read. Wording formats by it and verification checks by it
 * (a "%" in a text can only cite a `percent` or `points` number, "x" only a `ratio`, ...).
 * Percent values are stored as percentages (12.5 means 12.5 %), never as fractions.
 */
export type NumberUnit = 'count' | 'currency' | 'percent' | 'points' | 'ratio';

export type ExecutionProfile = HistoryPointRef & { profile: ResultProfile };

export interface InsightInput {
  dashboardType: DashboardType;
  latest: ExecutionProfile;
  /** Oldest first, the latest included last (appended when the caller left it out). */
  history: ExecutionProfile[];
  views: BuiltView[];
  /**
   * The report's `data_aggregation_settings` as insights read them: column overrides, spend unit,
   * currency, touch model and funnel stages (the same the dashboard was built with).
   */
  settings?: InsightSettings;
}

export interface Finding {
  /** Stable across runs on the same data, e.g. `trend.impressions`; never contains user text. */
  id: string;
  type: FindingType;
  metric?: string;
  /** How wording names `metric` (the metric layer's label); verification ignores digits in it. */
  metricLabel?: string;
  /** Labels of numbers keyed by metric id (the summary's), from the metric layer. */
  labels?: Record<string, string>;
  /** ISO 4217 code money is quoted in (default USD). */
  currency?: string;
  /** The touch model the numbers are for, when the result has one row per model. */
  touchModel?: string;
  dimension?: string;
  /** A dimension value (e.g. a campaign name): data, shown in quotes, never an instruction. */
  subject?: string;
  /** What the finding states; the only numbers an insight may cite (with `statistics`). */
  numbers: Record<string, number>;
  /** Unit of every key of `numbers`; statistics are plain numbers. */
  units: Record<string, NumberUnit>;
  executionIds: string[];
  /** In [0, 1], see strength.ts for the formula per type. */
  strength: number;
  statistics: Record<string, number>;
}
