// The dashboard builders (DESIGN §6): one pure function per dashboard type, from result profiles
// (the shown execution and the history) to views with a chart spec and data.
export { buildDashboard } from './build-dashboard';
export { buildAttributionViews } from './build-attribution-views';
export { buildAudienceViews } from './build-audience-views';
export { buildCustomViews } from './build-custom-views';
export { buildFunnelViews } from './build-funnel-views';
export { buildPerformanceViews } from './build-performance-views';
export type { DashboardBuildInput, ExecutionProfile, ViewDraft } from './dashboard-build-input';
export { assertUsableProfile, selectHistory } from './dashboard-context';
export { UnusableResultError, type UnusableResultReason } from '@amc-reports/result-profile';
export type { ComparisonInput } from './dashboard-build-input';

// Periods: any execution, a range of days, compared with another window (issue 15).
export { addDays, dayStart, daysBetween, formatDays, formatWindow, windowDays, windowRangeText, windowZone, yearEarlier, type Day, type TimeWindowLike } from './time-window';
export { executionState, toTimelineExecution, windowSlots, type ExecutionRecord, type ExecutionState, type TimelineExecution, type WindowSlot } from './timeline';
export {
  planPeriod, PERIOD_DAYS_MAX, PERIOD_EXECUTIONS_MAX, PeriodRequestError, type ComparisonRequest, type PeriodPlan, type PeriodRequest, type PlannedPeriod,
} from './period-plan';
export { mergeProfiles, type PeriodMember } from './merge-profiles';
export { insertHistoryGaps, gapNote } from './history-gaps';
export { compareViews, type ComparedWindows } from './compare-views';
export { buildPlannedDashboard, periodProfile, profilesNeeded, type PlannedDashboard, type ReportSettingsInput } from './build-planned-dashboard';
export { DASHBOARD_REQUIREMENTS, type DashboardRequirement } from './dashboard-requirements';
export { dashboardColumnsMarkdown, expectedColumnsText } from './requirements-text';
