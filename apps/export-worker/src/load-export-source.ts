import type { ChartSpec } from '@amc-reports/charts/src/chart-spec';
import { ExportSettings, RETENTION_DAYS_DEFAULT, RETENTION_DAYS_MAX, type BuiltView, type BuiltViewData, type DashboardType, type ViewType } from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import { ObjectNotFoundError, type ObjectStorage } from '@amc-reports/storage';
import type { Readable } from 'node:stream';
import type { ClaimedExport, ExportOptions } from './export-lifecycle';
import { type ExportDocument, ExportInputError } from './renderers/export-document';

/** Insights an export carries: the strongest of the execution, like the dashboard shows them. */
const INSIGHTS_EXPORTED = 20;

interface SourceBase {
  options: ExportOptions;
  /** export_settings.retentionDays of the report (default 7, max 30). */
  retentionDays: number;
}

/** What a render needs: the dashboard as a document, or the archived raw result of an execution. */
export type ExportSource =
  | (SourceBase & { kind: 'document'; format: ClaimedExport['format']; document: ExportDocument; viewKey?: string })
  | (SourceBase & { kind: 'raw'; format: 'csv' | 'excel'; rowCount: number; open: () => Promise<Readable> });

export function retentionDaysOf(exportSettings: unknown): number {
  const parsed = ExportSettings.safeParse(exportSettings ?? {});
  const days = parsed.success ? parsed.data.retentionDays : RETENTION_DAYS_DEFAULT;
  return Math.min(RETENTION_DAYS_MAX, Math.max(1, days));
}

/**
 * Reads everything the render of one export needs from Postgres (as the owner role: the export
 * row already names its requester). A request that can never render — a deleted view, a raw
 * result past its retention — is an ExportInputError: failed with the reason, never retried.
 */
export async function loadExportSource(prisma: PrismaClient, rawResults: ObjectStorage, row: ClaimedExport): Promise<ExportSource> {
  const report = await prisma.reportConfiguration.findUnique({
    where: { id: row.reportConfigurationId },
    select: { id: true, name: true, dashboardType: true, exportSettings: true, workflow: { select: { name: true } } },
  });
  if (!report) throw new ExportInputError(`report ${row.reportConfigurationId} no longer exists`);
  const base: SourceBase = { options: row.options ?? {}, retentionDays: retentionDaysOf(report.exportSettings) };
  if (row.scope === 'raw') return loadRawSource(prisma, rawResults, row, base);

  const stored = await prisma.dashboardView.findMany({ where: { reportConfigurationId: report.id }, orderBy: [{ position: 'asc' }, { viewKey: 'asc' }] });
  if (stored.length === 0) throw new ExportInputError('the report has no dashboard yet: it is built after the first successful execution');
  let viewKey: string | undefined;
  if (row.scope === 'view') {
    const view = stored.find((candidate) => candidate.id === row.viewId);
    if (!view) throw new ExportInputError(`view ${row.viewId} is no longer part of the report`);
    viewKey = view.viewKey;
  }
  const views: BuiltView[] = stored.map((view) => ({
    key: view.viewKey,
    name: view.name,
    viewType: view.viewType as ViewType,
    position: view.position,
    chart: view.chartConfigurations as unknown as ChartSpec,
    data: (view.processedData as unknown as BuiltViewData | null) ?? { rows: [] },
  }));

  // The data is the views' as last built: their source execution gives the time window and the
  // insights (an auto-export queued for an older execution still shows what it renders).
  const selected = row.scope === 'view' ? stored.filter((view) => view.id === row.viewId) : stored;
  const newest = [...selected].sort((a, b) => (b.processedAt?.getTime() ?? 0) - (a.processedAt?.getTime() ?? 0))[0];
  const executionId = newest?.sourceExecutionId ?? row.executionId;
  const execution = executionId
    ? await prisma.workflowExecution.findUnique({ where: { id: executionId }, select: { id: true, timeWindowStart: true, timeWindowEnd: true } })
    : null;
  if (!execution) throw new ExportInputError('the execution behind the dashboard no longer exists');

  const insights = await prisma.dashboardInsight.findMany({
    where: { executionId: execution.id, dashboardView: { reportConfigurationId: report.id }, ...(row.scope === 'view' ? { dashboardViewId: row.viewId! } : {}) },
    orderBy: [{ confidenceScore: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
    take: INSIGHTS_EXPORTED,
    select: { insightType: true, insightText: true, confidenceScore: true },
  });
  const document: ExportDocument = {
    report: {
      id: report.id,
      name: report.name,
      workflowName: report.workflow?.name ?? report.name,
      dashboardType: report.dashboardType as DashboardType,
      timeWindowStart: execution.timeWindowStart.toISOString(),
      timeWindowEnd: execution.timeWindowEnd.toISOString(),
      generatedAt: new Date().toISOString(),
    },
    views,
    insights: insights.map((insight) => ({ insightType: insight.insightType, text: insight.insightText, confidenceScore: Number(insight.confidenceScore) })),
  };
  return { ...base, kind: 'document', format: row.format, document, viewKey };
}

async function loadRawSource(prisma: PrismaClient, rawResults: ObjectStorage, row: ClaimedExport, base: SourceBase): Promise<ExportSource> {
  if (row.format !== 'csv' && row.format !== 'excel') throw new ExportInputError(`a raw result exports as CSV or Excel, not ${row.format}`);
  const execution = row.executionId
    ? await prisma.workflowExecution.findUnique({ where: { id: row.executionId }, select: { id: true, rawResultKey: true, rowCount: true } })
    : null;
  if (!execution) throw new ExportInputError('the execution of this raw export no longer exists');
  const key = execution.rawResultKey;
  if (!key || execution.rowCount === null || !(await rawResults.stat(key))) {
    throw new ExportInputError(`execution ${execution.id} has no archived result any more (raw results are removed after their retention)`);
  }
  return {
    ...base,
    kind: 'raw',
    format: row.format,
    rowCount: execution.rowCount,
    open: async () => {
      try {
        return await rawResults.read(key);
      } catch (error) {
        if (error instanceof ObjectNotFoundError) throw new ExportInputError(`execution ${execution.id} has no archived result any more`);
        throw error;
      }
    },
  };
}
