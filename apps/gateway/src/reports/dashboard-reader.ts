import { Injectable } from '@nestjs/common';
import type { TransactionClient } from '@amc-reports/db';

const HISTORY_SHOWN = 20;
const INSIGHTS_SHOWN = 10;

export function runState(execution: {
  id: string; status: string; timeWindowStart: Date; timeWindowEnd: Date; completedAt: Date | null; createdAt: Date;
  rowCount: number | null; filteredRowCount: number | null; errorCode: string | null; error: string | null; supersededBy: string | null;
}) {
  return {
    executionId: execution.id,
    status: execution.status,
    timeWindow: { start: execution.timeWindowStart, end: execution.timeWindowEnd },
    completedAt: execution.completedAt ?? execution.createdAt,
    rowCount: execution.rowCount,
    filteredRowCount: execution.filteredRowCount,
    error: execution.error ? { code: execution.errorCode, message: execution.error } : null,
    superseded: execution.supersededBy !== null,
  };
}

/**
 * What the report list shows per report without loading every dashboard: the latest run of its
 * workflow and the strongest non-summary insight of its newest window (the summary when alone).
 */
export async function readReportHeadlines(tx: TransactionClient, reports: { id: string; workflowId: string | null }[]) {
  const workflowIds = [...new Set(reports.map((r) => r.workflowId).filter((id): id is string => id !== null))];
  const runs = workflowIds.length === 0 ? [] : await tx.$queryRaw<{
    workflow_id: string; id: string; status: string; time_window_start: Date; time_window_end: Date; completed_at: Date | null;
    created_at: Date; row_count: number | null; filtered_row_count: number | null; error_code: string | null; error: string | null; superseded_by: string | null;
  }[]>`
    SELECT DISTINCT ON (workflow_id) workflow_id, id, status, time_window_start, time_window_end, completed_at, created_at,
           row_count, filtered_row_count, error_code, error, superseded_by
    FROM workflow_executions WHERE workflow_id = ANY(${workflowIds}::uuid[]) ORDER BY workflow_id, created_at DESC, id`;
  const insights = await tx.$queryRaw<{ report_id: string; execution_id: string; insight_type: string; insight_text: string; confidence_score: string; created_at: Date }[]>`
    SELECT DISTINCT ON (v.report_configuration_id) v.report_configuration_id AS report_id, i.execution_id, i.insight_type, i.insight_text,
           i.confidence_score::text, i.created_at
    FROM dashboard_insights i JOIN dashboard_views v ON v.id = i.dashboard_view_id JOIN workflow_executions e ON e.id = i.execution_id
    WHERE v.report_configuration_id = ANY(${reports.map((r) => r.id)}::uuid[]) AND e.superseded_by IS NULL
    ORDER BY v.report_configuration_id, e.time_window_start DESC, (i.insight_type = 'summary'), i.confidence_score DESC, i.id`;
  const runByWorkflow = new Map(runs.map((run) => [run.workflow_id, runState({
    id: run.id, status: run.status, timeWindowStart: run.time_window_start, timeWindowEnd: run.time_window_end, completedAt: run.completed_at,
    createdAt: run.created_at, rowCount: run.row_count, filteredRowCount: run.filtered_row_count, errorCode: run.error_code, error: run.error,
    supersededBy: run.superseded_by,
  })]));
  const insightByReport = new Map(insights.map((insight) => [insight.report_id, {
    executionId: insight.execution_id, type: insight.insight_type, text: insight.insight_text,
    confidence: Number(insight.confidence_score), createdAt: insight.created_at,
  }]));
  return new Map(reports.map((report) => [report.id, {
    lastRun: (report.workflowId && runByWorkflow.get(report.workflowId)) || null,
    lastInsight: insightByReport.get(report.id) ?? null,
  }]));
}

/** Assembles GET /v1/reports/:id/dashboard inside the caller's RLS transaction. */
@Injectable()
export class DashboardReader {
  async read(tx: TransactionClient, reportId: string) {
    const report = await tx.reportConfiguration.findUnique({ where: { id: reportId }, include: { workflow: true } });
    if (!report) return null;
    const executions = report.workflowId
      ? await tx.workflowExecution.findMany({
        where: { workflowId: report.workflowId },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        take: HISTORY_SHOWN,
        select: {
          id: true, status: true, timeWindowStart: true, timeWindowEnd: true, completedAt: true, createdAt: true,
          rowCount: true, filteredRowCount: true, errorCode: true, error: true, supersededBy: true,
        },
      })
      : [];
    const views = await tx.dashboardView.findMany({ where: { reportConfigurationId: reportId }, orderBy: [{ position: 'asc' }, { viewKey: 'asc' }] });
    // The newest time window's set, not the set written last: a late or retried job for an older
    // week must not replace the insights that match the views.
    const latestInsight = await tx.dashboardInsight.findFirst({
      where: { dashboardView: { reportConfigurationId: reportId }, execution: { supersededBy: null } },
      orderBy: [{ execution: { timeWindowStart: 'desc' } }, { execution: { completedAt: 'desc' } }, { createdAt: 'desc' }],
      select: { executionId: true },
    });
    const insights = latestInsight
      ? await tx.dashboardInsight.findMany({
        where: { executionId: latestInsight.executionId, dashboardView: { reportConfigurationId: reportId } },
        orderBy: [{ confidenceScore: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
        take: INSIGHTS_SHOWN,
      })
      : [];
    return {
      report: {
        id: report.id, name: report.name, dashboardType: report.dashboardType, isEnabled: report.isEnabled,
        organizationId: report.workflow?.organizationId ?? null,
        workflow: report.workflow
          ? { id: report.workflow.id, name: report.workflow.name, reportEnabled: report.workflow.reportEnabled, amcInstanceId: report.workflow.amcInstanceId }
          : null,
      },
      latestRun: executions[0] ? runState(executions[0]) : null,
      history: executions.map(runState),
      views: views.map((view) => ({
        id: view.id, key: view.viewKey, name: view.name, viewType: view.viewType, position: view.position,
        chart: view.chartConfigurations, data: view.processedData, layout: view.layoutSettings,
        sourceExecutionId: view.sourceExecutionId, processedAt: view.processedAt,
      })),
      insights: insights.map((insight) => ({
        id: insight.id, viewId: insight.dashboardViewId, executionId: insight.executionId, type: insight.insightType,
        text: insight.insightText, confidence: Number(insight.confidenceScore), aiModel: insight.aiModel, sourceData: insight.sourceData,
        createdAt: insight.createdAt,
      })),
    };
  }
}
