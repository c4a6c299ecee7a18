import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { Finding } from './finding';

/**
 * The view an insight belongs to (`dashboard_insights.dashboard_view_id`): the chart that shows
 * the finding's metric by its dimension, else any view charting the metric, else the dashboard's
 * insight view, else the first view. Undefined only for a dashboard without views.
 */
export function viewKeyForFinding(finding: Finding, views: readonly BuiltView[]): string | undefined {
  const ordered = [...views].sort((a, b) => a.position - b.position);
  const charts = (view: BuiltView, field: string | undefined) =>
    field !== undefined && (view.chart.series.some((series) => series.field === field) || view.chart.x?.field === field);
  const byDimension = ordered.find(
    (view) => finding.dimension !== undefined && view.chart.x?.field === finding.dimension && charts(view, finding.metric),
  );
  const byMetric = ordered.find((view) => view.viewType !== 'insight' && charts(view, finding.metric));
  const insightView = ordered.find((view) => view.viewType === 'insight');
  return (byDimension ?? byMetric ?? insightView ?? ordered[0])?.key;
}
