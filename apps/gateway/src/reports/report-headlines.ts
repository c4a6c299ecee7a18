import type { TransactionClient } from '@amc-reports/db';
import { runState } from './run-state';

/**
 * What the report list shows per report without loading every dashboard: the latest run of its
 * workflow (the one AMC completed last, as the timeline orders them) — `outcome: unusable` when this report could not use it (the list marks it) — and the
 * strongest non-summary insight of its newest window (the summary when alone).
 */
export async function readReportHeadlines(tx: TransactionClient, reports: { id: string; workflowId: string | null }[]) {
  const workflowIds = [...new Set(reports.map((r) => r.workflowId).filter((id): id is string => id !== null))];
  const runs = workflowIds.length === 0 ? [] : await tx.$queryRaw<{
    workflow_id: string; id: string; status: string; time_window_start: Date; time_window_end: Date; time_zone: string | null; completed_at: Date | null;
    created_at: Date; row_count: number | null; filtered_row_count: number | null; error_code: string | null; error: string | null;
    superseded_by: string | null; has_profile: boolean;
  }[]>`
    SELECT DISTINCT ON (workflow_id) workflow_id, id, status, time_window_start, time_window_end, time_zone, completed_at, created_at,
           row_count, filtered_row_count, error_code, error, superseded_by, result_profile IS NOT NULL AS has_profile
    FROM workflow_executions WHERE workflow_id = ANY(${workflowIds}::uuid[]) ORDER BY workflow_id, completed_at DESC NULLS LAST, created_at DESC, id`;
  const problems = runs.length === 0 ? [] : await tx.reportUnusableExecution.findMany({
    where: { reportConfigurationId: { in: reports.map((r) => r.id) }, executionId: { in: runs.map((run) => run.id) } },
    select: { reportConfigurationId: true, executionId: true, errorCode: true, error: true },
  });
  const insights = await tx.$queryRaw<{ report_id: string; execution_id: string; insight_type: string; insight_text: string; confidence_score: string; created_at: Date }[]>`
    SELECT DISTINCT ON (v.report_configuration_id) v.report_configuration_id AS report_id, i.execution_id, i.insight_type, i.insight_text,
           i.confidence_score::text, i.created_at
    FROM dashboard_insights i JOIN dashboard_views v ON v.id = i.dashboard_view_id JOIN workflow_executions e ON e.id = i.execution_id
    WHERE v.report_configuration_id = ANY(${reports.map((r) => r.id)}::uuid[]) AND e.superseded_by IS NULL
    ORDER BY v.report_configuration_id, e.time_window_start DESC, (i.insight_type = 'summary'), i.confidence_score DESC, i.id`;
  const runByWorkflow = new Map(runs.map((run) => [run.workflow_id, run]));
  const problemOf = new Map(problems.map((problem) => [`${problem.reportConfigurationId}|${problem.executionId}`, { code: problem.errorCode, message: problem.error }]));
  const insightByReport = new Map(insights.map((insight) => [insight.report_id, {
    executionId: insight.execution_id, type: insight.insight_type, text: insight.insight_text,
    confidence: Number(insight.confidence_score), createdAt: insight.created_at,
  }]));
  return new Map(reports.map((report) => {
    const run = report.workflowId ? runByWorkflow.get(report.workflowId) : undefined;
    return [report.id, {
      lastRun: run ? runState({
        id: run.id, status: run.status, timeWindowStart: run.time_window_start, timeWindowEnd: run.time_window_end, timeZone: run.time_zone,
        completedAt: run.completed_at, createdAt: run.created_at, rowCount: run.row_count, filteredRowCount: run.filtered_row_count,
        errorCode: run.error_code, error: run.error, supersededBy: run.superseded_by, hasProfile: run.has_profile,
        reportProblem: problemOf.get(`${report.id}|${run.id}`) ?? null,
      }) : null,
      lastInsight: insightByReport.get(report.id) ?? null,
    }];
  }));
}
