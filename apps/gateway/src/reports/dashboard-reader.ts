import { Injectable } from '@nestjs/common';
import type { TransactionClient } from '@amc-reports/db';

const HISTORY_SHOWN = 20;
const INSIGHTS_SHOWN = 10;

function runState(execution: {
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
        workflow: report.workflow ? { id: report.workflow.id, name: report.workflow.name, reportEnabled: report.workflow.reportEnabled } : null,
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
