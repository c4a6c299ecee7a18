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
