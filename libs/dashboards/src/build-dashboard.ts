import type { BuiltView, DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { buildAttributionViews } from './build-attribution-views';
import { buildAudienceViews } from './build-audience-views';
import { buildCustomViews } from './build-custom-views';
import { buildFunnelViews } from './build-funnel-views';
import { buildPerformanceViews } from './build-performance-views';
import type { DashboardBuildInput } from './dashboard-build-input';
import { assertUsableProfile } from './dashboard-context';
import { insertHistoryGaps } from './history-gaps';

const BUILDERS: Record<DashboardType, (input: DashboardBuildInput) => BuiltView[]> = {
  funnel: buildFunnelViews,
  performance: buildPerformanceViews,
  attribution: buildAttributionViews,
  audience: buildAudienceViews,
  custom: buildCustomViews,
};

/**
 * The views of one dashboard from the latest execution's profile and the history. Pure: the same
 * input gives the same views, so a re-run job rewrites identical rows. History views get a row for
 * each gap the input names (a failed or missing window). Throws `UnusableResultError`
 * (a readable, permanent reason) when the result cannot make this type of dashboard.
 */
export function buildDashboard(type: DashboardType, input: DashboardBuildInput): BuiltView[] {
  const build = BUILDERS[type];
  if (!build) throw new Error(`unknown dashboard type "${String(type)}"`);
  assertUsableProfile(input.latest.profile);
  const views = build(input);
  return input.gaps && input.gaps.length > 0 ? insertHistoryGaps(views, input.gaps) : views;
}
