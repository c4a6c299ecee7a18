import type { api, DashboardType, ResultProfile } from '@amc-reports/contracts';
import { readExecutionProfiles, readReportTimeline, type TransactionClient } from '@amc-reports/db';
import {
  buildPlannedDashboard, expectedColumnsText, planPeriod, profilesNeeded, toTimelineExecution, UnusableResultError,
} from '@amc-reports/dashboards';
import { buildMetricFrame, resolveDimensionColumns } from '@amc-reports/metrics';
import { runState } from './run-state';

/** What the metric layer reads from a result with these settings: the editor maps columns from it. */
function profileSummary(profile: ResultProfile, aggregation: Record<string, unknown>) {
  const columns = (aggregation.columns ?? {}) as Record<string, string>;
  const frame = buildMetricFrame(profile, { columns, spendUnit: aggregation.spendUnit as 'auto' | undefined, currency: aggregation.currency as string | undefined });
  const { dimensions } = resolveDimensionColumns(profile.dimensions, columns);
  return {
    rowCount: profile.rowCount,
    filteredRowCount: profile.filteredRowCount,
    columns: profile.columns.map((column) => ({ name: column.name, kind: column.kind })),
    metrics: Object.fromEntries(Object.entries(frame.columns).flatMap(([id, resolved]) => (resolved ? [[id, resolved.columns]] : []))),
    dimensions: Object.fromEntries(Object.entries(dimensions).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    spendUnit: frame.spend ? { columns: frame.spend.columns, unit: frame.spend.unit, source: frame.spend.source, reason: frame.spend.reason } : null,
  };
}

/**
 * Draft settings on the newest result the workflow has (whatever this report's stored verdicts
 * say: the draft may fix them), with the cards compared as the dashboard would. Nothing is stored.
 */
export async function previewReport(tx: TransactionClient, report: { id: string; workflowId: string | null }, draft: api.PreviewReport) {
  const rows = report.workflowId ? await readReportTimeline(tx, report.workflowId, report.id) : [];
  const timeline = rows.map((row) => toTimelineExecution({ ...row, reportProblem: null }));
  const aggregation = draft.dataAggregationSettings as Record<string, unknown>;
  const plan = planPeriod(timeline, { kind: 'latest' }, { kind: 'previous' }, 12);
  const shown = plan.period.members[0];
  const shownRow = shown ? rows.find((row) => row.id === shown.executionId) : undefined;
  if (!shown || !shownRow) return { execution: null, profile: null, views: [], problem: null };
  const profiles = await readExecutionProfiles(tx, profilesNeeded(plan));
  const profile = profiles.get(shown.executionId)!;
  const settings = { visualization: draft.visualizationSettings, aggregation };
  const stored = await tx.dashboardView.findMany({ where: { reportConfigurationId: report.id }, select: { id: true, viewKey: true } });
  const idOf = new Map(stored.map((view) => [view.viewKey, view.id]));
  try {
    const { views } = buildPlannedDashboard(draft.dashboardType as DashboardType, settings, plan, profiles, { compareTables: false });
    return {
      execution: runState({ ...shownRow, reportProblem: null }),
      profile: profileSummary(profile, aggregation),
      views: views.map((view) => ({
        id: idOf.get(view.key) ?? null, key: view.key, name: view.name, viewType: view.viewType, position: view.position, chart: view.chart,
        data: view.data, layout: {}, sourceExecutionId: shown.executionId, processedAt: new Date(),
      })),
      problem: null,
    };
  } catch (error) {
    if (!(error instanceof UnusableResultError)) throw error;
    return {
      execution: runState({ ...shownRow, reportProblem: null }),
      profile: profileSummary(profile, aggregation),
      views: [],
      problem: { code: error.reason, message: error.message, expected: expectedColumnsText(draft.dashboardType as DashboardType, settings) },
    };
  }
}
