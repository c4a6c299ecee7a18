import type { BuiltView, ComparisonKind, HistoryPointRef, ViewComparison, WindowGap } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';

/**
 * One execution of the workflow and the profile of its result; or a period of several executions
 * merged by the metric layer's rules (`members` set, the window spanning the period).
 */
export type ExecutionProfile = HistoryPointRef & { profile: ResultProfile; members?: HistoryPointRef[] };

/** What the shown period is compared with: the execution or period, or a gap that says why there is none. */
export interface ComparisonInput {
  kind: ComparisonKind;
  /** The window compared with, also when it has no numbers. */
  window: Pick<HistoryPointRef, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>;
  /** Null when the window is a gap (failed, unusable, missing, pending). */
  execution: ExecutionProfile | null;
  state: ViewComparison['state'];
  reason?: string;
}

export interface DashboardBuildInput {
  latest: ExecutionProfile;
  /** Oldest first, the latest included as the last element (a period: its members). */
  history: ExecutionProfile[];
  /** The configuration's raw `visualization_settings` / `data_aggregation_settings` (validated here). */
  settings: { visualization: unknown; aggregation: unknown };
  /**
   * What cards compare with. Absent: the previous usable execution of the history. Null: nothing.
   * Given: that execution or period — or the gap in its place, named, never skipped over.
   */
  comparison?: ComparisonInput | null;
  /** Windows without numbers among the history's (failed, unusable, missing): gap rows in history views. */
  gaps?: WindowGap[];
}

/** A view before its position on the dashboard is known. */
export type ViewDraft = Omit<BuiltView, 'position'>;
