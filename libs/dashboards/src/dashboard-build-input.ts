import type { BuiltView, HistoryPointRef } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';

/** One execution of the workflow and the profile of its result. */
export type ExecutionProfile = HistoryPointRef & { profile: ResultProfile };

export interface DashboardBuildInput {
  latest: ExecutionProfile;
  /** Oldest first, the latest included as the last element. */
  history: ExecutionProfile[];
  /** The configuration's raw `visualization_settings` / `data_aggregation_settings` (validated here). */
  settings: { visualization: unknown; aggregation: unknown };
}

/** A view before its position on the dashboard is known. */
export type ViewDraft = Omit<BuiltView, 'position'>;
