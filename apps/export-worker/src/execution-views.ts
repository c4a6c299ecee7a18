import { HISTORY_LENGTH_DEFAULT, HISTORY_LENGTH_MAX, type BuiltView, type DashboardType, type ResultProfile } from '@amc-reports/contracts';
import { buildDashboard, type ExecutionProfile, UnusableResultError } from '@amc-reports/dashboards';
import type { PrismaClient } from '@amc-reports/db';
import { ExportInputError } from './renderers/export-document';

/**
 * The views of any execution of a report, for an export that names one the dashboard no longer
 * shows: built the way the report service builds the latest ones — the same builders
 * (libs/dashboards) on that execution's stored result profile and the history up to it — so an
 * export of last month reads exactly as last month's dashboard did. Nothing is written: the
 * stored dashboard_views stay the latest execution's.
 */

export interface ReportToBuild {
  id: string;
  workflowId: string;
  dashboardType: DashboardType;
  visualizationSettings: unknown;
  dataAggregationSettings: unknown;
}

/** Executions the report service counts in a history (kept in step with its dashboard rebuilder). */
const USABLE_ERROR_CODE = 'REPORT_UNUSABLE';

function historyLength(aggregation: unknown): number {
  const requested = (aggregation as { historyLength?: unknown } | null)?.historyLength;
  return typeof requested === 'number' && requested >= 1 ? Math.min(Math.floor(requested), HISTORY_LENGTH_MAX) : HISTORY_LENGTH_DEFAULT;
}

export async function buildExecutionViews(prisma: PrismaClient, report: ReportToBuild, executionId: string): Promise<BuiltView[]> {
  const target = await prisma.workflowExecution.findFirst({
    where: { id: executionId, workflowId: report.workflowId },
    select: { id: true, status: true, timeWindowStart: true, timeWindowEnd: true, resultProfile: true },
  });
  if (!target || target.status !== 'SUCCEEDED' || target.resultProfile === null) {
    throw new ExportInputError(`execution ${executionId} has no result to build a dashboard from (it did not succeed, or it is not this report's)`);
  }
  // The windows before it, one execution per window (the newest: a rerun of a window replaces it).
  const earlier = await prisma.$queryRaw<{ id: string; time_window_start: Date; time_window_end: Date; result_profile: ResultProfile }[]>`
    SELECT id, time_window_start, time_window_end, result_profile FROM workflow_executions
    WHERE workflow_id = ${report.workflowId}::uuid AND status = 'SUCCEEDED' AND result_profile IS NOT NULL AND id <> ${target.id}::uuid
      AND (error_code IS NULL OR error_code = ${USABLE_ERROR_CODE})
      AND time_window_start < ${target.timeWindowStart}
    ORDER BY time_window_start DESC, completed_at DESC LIMIT ${historyLength(report.dataAggregationSettings) * 2}`;
  const seenWindows = new Set<string>();
  const history: ExecutionProfile[] = [];
  for (const row of earlier) {
    const window = `${row.time_window_start.toISOString()}/${row.time_window_end.toISOString()}`;
    if (seenWindows.has(window)) continue;
    seenWindows.add(window);
    history.push({ executionId: row.id, timeWindowStart: row.time_window_start.toISOString(), timeWindowEnd: row.time_window_end.toISOString(), profile: row.result_profile });
  }
  const latest: ExecutionProfile = {
    executionId: target.id, timeWindowStart: target.timeWindowStart.toISOString(), timeWindowEnd: target.timeWindowEnd.toISOString(),
    profile: target.resultProfile as unknown as ResultProfile,
  };
  const ordered = [...history.slice(0, historyLength(report.dataAggregationSettings) - 1).reverse(), latest];
  try {
    return buildDashboard(report.dashboardType, {
      latest, history: ordered, settings: { visualization: report.visualizationSettings, aggregation: report.dataAggregationSettings },
    });
  } catch (error) {
    if (error instanceof UnusableResultError) throw new ExportInputError(`execution ${executionId} cannot make this dashboard: ${error.message}`);
    throw error;
  }
}
