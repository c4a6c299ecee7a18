import type { ChartSpec } from '@amc-reports/charts/src/chart-spec';
import { ExportSettings, RETENTION_DAYS_DEFAULT, RETENTION_DAYS_MAX, type BuiltView, type BuiltViewData, type DashboardType, type ViewType } from '@amc-reports/contracts';
import type { PrismaClient } from '@amc-reports/db';
import { ObjectNotFoundError, type ObjectStorage } from '@amc-reports/storage';
import type { Readable } from 'node:stream';
import type { ClaimedExport, ExportOptions } from './export-lifecycle';
import { loadExportBranding } from './export-branding';
import { loadExportInsights, minInsightConfidenceOf } from './export-insights';
import { buildExecutionViews } from './execution-views';
import { type ExportDocument, type ExportExecution, ExportInputError, type PageSettings } from './renderers/export-document';

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

/** export_settings.pdf with its defaults. */
export function pageSettingsOf(exportSettings: unknown): PageSettings {
  const parsed = ExportSettings.safeParse(exportSettings ?? {});
  const pdf = parsed.success ? parsed.data.pdf : undefined;
  return { orientation: pdf?.orientation ?? 'auto', pageSize: pdf?.pageSize ?? 'A4' };
}

/** Executions on the Excel history sheet, at most (one per row, newest kept). */
const HISTORY_ROWS = 500;

/**
 * Reads everything the render of one export needs from Postgres (as the owner role: the export
 * row already names its requester). A request that can never render — a deleted view, a raw
 * result past its retention — is an ExportInputError: failed with the reason, never retried.
 *
 * The execution is the export's own (`execution_id`, which the gateway sets to the one the
 * dashboard showed when none was named): when the stored views are another execution's, that
 * execution's views are built from its history (execution-views.ts).
 */
export async function loadExportSource(prisma: PrismaClient, rawResults: ObjectStorage, exportStorage: ObjectStorage, row: ClaimedExport): Promise<ExportSource> {
  const report = await prisma.reportConfiguration.findUnique({
    where: { id: row.reportConfigurationId },
    select: {
      id: true, name: true, dashboardType: true, exportSettings: true, visualizationSettings: true, dataAggregationSettings: true, workflowId: true,
      workflow: { select: { name: true, organizationId: true } },
    },
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
  const selected = row.scope === 'view' ? stored.filter((view) => view.id === row.viewId) : stored;
  const newest = [...selected].sort((a, b) => (b.processedAt?.getTime() ?? 0) - (a.processedAt?.getTime() ?? 0))[0];
  const shown = newest?.sourceExecutionId ?? null;
  const executionId = row.executionId ?? shown;
  if (!executionId) throw new ExportInputError('the execution behind the dashboard no longer exists');
  const execution = await prisma.workflowExecution.findUnique({ where: { id: executionId }, select: { id: true, timeWindowStart: true, timeWindowEnd: true, timeZone: true } });
  if (!execution) throw new ExportInputError(`execution ${executionId} no longer exists`);

  let views: BuiltView[];
  if (executionId === shown || !report.workflowId) {
    views = stored.map((view) => ({
      key: view.viewKey,
      name: view.name,
      viewType: view.viewType as ViewType,
      position: view.position,
      chart: view.chartConfigurations as unknown as ChartSpec,
      data: (view.processedData as unknown as BuiltViewData | null) ?? { rows: [] },
    }));
  } else {
    views = await buildExecutionViews(prisma, { ...report, workflowId: report.workflowId, dashboardType: report.dashboardType as DashboardType }, executionId);
    if (viewKey !== undefined && !views.some((view) => view.key === viewKey)) {
      throw new ExportInputError(`execution ${executionId} has no "${newest?.name ?? viewKey}" view: its result lacks the columns`);
    }
  }

  const minConfidence = minInsightConfidenceOf(report.exportSettings);
  const insights = await loadExportInsights(prisma, report.id, execution.id, minConfidence, row.scope === 'view' ? row.viewId! : undefined);
  const history = report.workflowId ? await loadHistory(prisma, report.workflowId, execution.timeWindowStart) : [];
  const branding = report.workflow ? await loadExportBranding(prisma, exportStorage, report.id, report.workflow.organizationId) : undefined;
  const document: ExportDocument = {
    report: {
      id: report.id,
      name: report.name,
      workflowName: report.workflow?.name ?? report.name,
      dashboardType: report.dashboardType as DashboardType,
      timeWindowStart: execution.timeWindowStart.toISOString(),
      timeWindowEnd: execution.timeWindowEnd.toISOString(),
      timeZone: execution.timeZone,
      generatedAt: new Date().toISOString(),
      executionId: execution.id,
    },
    views,
    insights,
    history,
    page: pageSettingsOf(report.exportSettings),
    ...(branding ? { branding } : {}),
  };
  return { ...base, kind: 'document', format: row.format, document, viewKey };
}

/** Every execution of the workflow up to the exported one's window, oldest first: the Excel history sheet. */
async function loadHistory(prisma: PrismaClient, workflowId: string, upTo: Date): Promise<ExportExecution[]> {
  const rows = await prisma.workflowExecution.findMany({
    where: { workflowId, timeWindowStart: { lte: upTo } },
    orderBy: [{ timeWindowStart: 'desc' }, { createdAt: 'desc' }],
    take: HISTORY_ROWS,
    select: { id: true, status: true, timeWindowStart: true, timeWindowEnd: true, timeZone: true, completedAt: true, rowCount: true },
  });
  return rows.reverse().map((execution) => ({
    executionId: execution.id,
    status: execution.status,
    timeWindowStart: execution.timeWindowStart.toISOString(),
    timeWindowEnd: execution.timeWindowEnd.toISOString(),
    timeZone: execution.timeZone,
    completedAt: execution.completedAt?.toISOString() ?? null,
    rowCount: execution.rowCount,
  }));
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
