export { buildDashboard } from './build-dashboard';
export { buildAttributionViews } from './build-attribution-views';
export { buildAudienceViews } from './build-audience-views';
export { buildCustomViews } from './build-custom-views';
export { buildFunnelViews } from './build-funnel-views';
export { buildPerformanceViews } from './build-performance-views';
export type { DashboardBuildInput, ExecutionProfile, ViewDraft } from './dashboard-build-input';
export { assertUsableProfile } from './dashboard-context';
export { UnusableResultError, type UnusableResultReason } from './unusable-result.error';
