import type { BuiltView, DashboardType, HistoryPointRef } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { FindingWindows } from './execution-windows';
import type { FeedbackWeight } from './feedback-weights';
import type { InsightSettings } from './insight-metrics';
import type { InsightThresholds } from './insight-thresholds';

export const FINDING_TYPES = ['trend', 'anomaly', 'comparison', 'recommendation', 'summary'] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/**
 * How a number is meant to be read. Wording formats by it and verification checks by it
 * (a "%" in a text can only cite a `percent` or `points` number, "x" only a `ratio`, ...).
 * Percent values are stored as percentages (12.5 means 12.5 %), never as fractions.
 */
export type NumberUnit = 'count' | 'currency' | 'percent' | 'points' | 'ratio';

/**
 * What a finding states, finer than its type: stored with the insight (source_data) and in user
 * feedback (insight_feedback.finding_kind), so a dismissed kind can be down-weighted later. Stored
 * values: never rename one casually.
 */
export const FINDING_KINDS = [
  'summary',
  'anomaly.metric',
  'anomaly.campaign',
  'anomaly.mix_shift',
  'comparison.metric',
  'comparison.recovery',
  'trend.metric',
  'recommendation.weakest_stage',
  'recommendation.low_purchase_rate',
  'recommendation.low_return',
  'recommendation.frequency_cap',
  'recommendation.overlap',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Whether the move is good news for the metric (libs/metrics `upIsGood`), bad news, or neither. */
export type Assessment = 'favourable' | 'unfavourable' | 'neutral';

/** A metric that moved because of the finding's cause: named in the same insight, with its number. */
export interface Consequence {
  metric: string;
  /** Its label (the metric layer's), also in `labels`. */
  label: string;
  /** The key in `numbers` of its relative change in percent (signed). */
  changeKey: string;
  /** Scoped to the finding's subject (a campaign's own metric) rather than the total. */
  scope?: 'subject';
}

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
  /** `visualization_settings.insights`: practical-significance floors and the metric budgets are judged by. */
  thresholds?: Partial<InsightThresholds>;
  /** Earlier feedback on this report's insights: dismissed kinds weigh less. */
  feedback?: readonly FeedbackWeight[];
}

export interface Finding {
  /** Stable across runs on the same data, e.g. `trend.impressions`; never contains user text. */
  id: string;
  type: FindingType;
  kind: FindingKind;
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
  /** A second dimension value the finding names (where a mix shift moved volume to): data as well. */
  counterpart?: string;
  /**
   * Who a campaign is compared with: campaigns of its own touch class only, since view-through
   * (DSP) purchases inflate a purchase rate that click-based campaigns cannot reach.
   */
  peers?: 'click' | 'view' | 'all';
  /** Up or down, for the finding's cause metric. */
  direction?: 'up' | 'down';
  assessment?: Assessment;
  /** What followed from the cause, in funnel order; one insight names them all. */
  consequences?: Consequence[];
  /** The windows the finding compares, as the text names them. */
  windows?: FindingWindows;
  /** What the finding states; the only numbers an insight may cite (with `statistics`). */
  numbers: Record<string, number>;
  /** Unit of every key of `numbers`; statistics are plain numbers. */
  units: Record<string, NumberUnit>;
  executionIds: string[];
  /** In [0, 1], see strength.ts for the formula per type. */
  strength: number;
  statistics: Record<string, number>;
}
