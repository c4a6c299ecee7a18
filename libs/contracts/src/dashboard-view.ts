import type { ChartRow, ChartSpec, ValueFormat } from '@amc-reports/charts/src/chart-spec';

export const DASHBOARD_TYPES = ['funnel', 'performance', 'attribution', 'audience', 'custom'] as const;
export type DashboardType = (typeof DASHBOARD_TYPES)[number];

export const VIEW_TYPES = ['chart', 'table', 'metric_card', 'insight'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

/** The execution behind a history point. */
export interface HistoryPointRef {
  executionId: string;
  timeWindowStart: string;
  timeWindowEnd: string;
  /** The event's `timeWindow.timeZone`: the days the window covers are read in it (UTC when absent). */
  timeZone?: string | null;
}

/**
 * Why a window has no numbers in a history or a comparison: AMC failed it, this report could not
 * use its result, no execution covers it, or it has not finished. Shown as a gap, never skipped.
 */
export const WINDOW_GAP_STATES = ['failed', 'unusable', 'missing', 'pending'] as const;
export type WindowGapState = (typeof WINDOW_GAP_STATES)[number];

export interface WindowGap {
  timeWindowStart: string;
  timeWindowEnd: string;
  timeZone?: string | null;
  state: WindowGapState;
  /** The execution of the window, when there is one (a failed run). */
  executionId?: string | null;
  /** AMC's or the report's reason, for people. */
  reason?: string | null;
}

export const COMPARISON_KINDS = ['previous', 'year', 'execution'] as const;
export type ComparisonKind = (typeof COMPARISON_KINDS)[number];

/** What a view's numbers are compared with: the window named, and whether it has numbers. */
export interface ViewComparison {
  kind: ComparisonKind;
  /** "2026-11-09 – 2026-11-15": the days compared with. */
  window: string;
  state: 'ok' | WindowGapState;
  reason?: string;
}

/**
 * What a dashboard builder produces for one view; stored in `dashboard_views`
 * (`name`, `view_type`, `position`, `chart_configurations` = chart, `processed_data` = data).
 * `key` is stable across executions (e.g. `funnel.stages`) so a rebuild updates the same row.
 */
export interface BuiltView {
  key: string;
  name: string;
  viewType: ViewType;
  position: number;
  chart: ChartSpec;
  data: BuiltViewData;
}

export interface BuiltViewData {
  rows: ChartRow[];
  /** Rows of the result that AMC withheld, shown as such (never summed as zero). */
  filteredRowCount?: number;
  /** Free-form numbers the view headlines (e.g. overall conversion rate), for insights and exports. */
  summary?: Record<string, number | null>;
  /** Executions behind time-series rows, oldest first. */
  history?: HistoryPointRef[];
  notes?: string[];
  /**
   * Per field of a catalogue metric: its formula with the result's columns (libs/metrics
   * describeFormula), shown as a tooltip in the page and a footnote in the PDF.
   */
  formulas?: Record<string, string>;
  /** How spend was read from this result (unit, source, why): stated, never silently assumed. */
  spendUnit?: { columns: string[]; unit: string; divisor: number; source: 'settings' | 'detected'; reason: string };
  /** The touch model the numbers are for, when the result has one row per model. */
  touchModel?: string;
  /** The time window of the numbers (cards): "2026-10-01 – 2026-10-31", and of the previous execution they are compared with. */
  window?: { latest: string; previous?: string };
  /** What the numbers are compared with, also when that window is a gap (failed, missing): named, never skipped. */
  comparison?: ViewComparison;
  /** History views: the windows without numbers between the points (the rows have `gap` set for them). */
  gaps?: WindowGap[];
  /** Comparison columns of a compared view (Δ, Δ %) that the chart does not draw, for its table of numbers. */
  comparisonFields?: Array<{ field: string; label: string; format?: ValueFormat }>;
}
