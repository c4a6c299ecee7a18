import type { api } from '@amc-reports/contracts';
import { readReportTimeline, type TransactionClient } from '@amc-reports/db';
import { toTimelineExecution } from '@amc-reports/dashboards';
import { notFound, validationError } from '../common/request-validation';

export interface ExportTarget {
  organizationId: string;
  executionId: string | null;
}

/** The checks of an export request that need the database, each a 404 (the report) or a 400 naming the field. */
export async function resolveExportTarget(tx: TransactionClient, reportId: string, input: api.CreateExport): Promise<ExportTarget> {
  const report = await tx.reportConfiguration.findUnique({
    where: { id: reportId }, select: { id: true, workflowId: true, workflow: { select: { organizationId: true } } },
  });
  if (!report) throw notFound('report');
  if (!report.workflowId || !report.workflow) {
    throw validationError([{ field: 'reportId', message: "exports are made from a workflow's report, not from a template default" }]);
  }
  const organizationId = report.workflow.organizationId;

  const views = await tx.dashboardView.findMany({
    where: { reportConfigurationId: report.id },
    select: { id: true, viewType: true, sourceExecutionId: true, processedAt: true },
  });
  const shownBy = (candidates: typeof views) => [...candidates].sort((a, b) => (b.processedAt?.getTime() ?? 0) - (a.processedAt?.getTime() ?? 0))[0]?.sourceExecutionId ?? null;

  if (input.scope === 'raw') {
    // The raw result defaults to the execution the dashboard shows, like the other exports.
    const select = { id: true, rawResultKey: true } as const;
    const requested = input.executionId ?? shownBy(views);
    const execution = requested
      ? await tx.workflowExecution.findFirst({ where: { id: requested, workflowId: report.workflowId }, select })
      : await tx.workflowExecution.findFirst({
        where: { workflowId: report.workflowId, status: 'SUCCEEDED', rawResultKey: { not: null } },
        orderBy: [{ completedAt: 'desc' }, { createdAt: 'desc' }],
        select,
      });
    if (input.executionId && !execution) throw validationError([{ field: 'executionId', message: "no such execution of this report's workflow" }]);
    if (!execution?.rawResultKey) {
      throw validationError([{
        field: 'executionId',
        message: requested
          ? `execution ${requested} has no archived result (it did not succeed, or its result is past retention)`
          : 'the workflow has no execution with an archived result yet',
      }]);
    }
    return { organizationId, executionId: execution.id };
  }

  let selected = views;
  if (input.scope === 'view') {
    const view = views.find((candidate) => candidate.id === input.viewId);
    if (!view) throw validationError([{ field: 'viewId', message: 'no such view in this report' }]);
    if (view.viewType === 'insight' && (input.format === 'csv' || input.format === 'excel')) {
      throw validationError([{ field: 'format', message: `view ${view.id} holds insights, not rows: export it as pdf or png` }]);
    }
    selected = [view];
  } else if (views.length === 0) {
    throw validationError([{ field: 'scope', message: 'the report has no dashboard yet: it is built after the first successful execution' }]);
  }
  const shown = shownBy(selected);
  if (!input.executionId || input.executionId === shown) return { organizationId, executionId: shown };
  // Any other execution renders from its own result profile and the history before it: one this
  // report can use (its own verdict too: a result another report of the workflow can use may not fit this one).
  const rows = await readReportTimeline(tx, report.workflowId, report.id);
  const row = rows.find((candidate) => candidate.id === input.executionId!.toLowerCase());
  if (!row) throw validationError([{ field: 'executionId', message: "no such execution of this report's workflow" }]);
  const execution = toTimelineExecution(row);
  if (execution.state !== 'usable') {
    throw validationError([{ field: 'executionId', message: `execution ${row.id} has no result to draw this dashboard from (${execution.state}: ${execution.reason ?? row.status})` }]);
  }
  return { organizationId, executionId: row.id };
}
