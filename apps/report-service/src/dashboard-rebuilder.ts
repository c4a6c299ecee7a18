import type { BuiltView, DashboardType, ResultProfile } from '@amc-reports/contracts';
import { HISTORY_LENGTH_DEFAULT, HISTORY_LENGTH_MAX } from '@amc-reports/contracts/src/report-settings';
import type { PrismaClient } from '@amc-reports/db';
import { buildDashboard } from '@amc-reports/dashboards';
import { REPORT_UNUSABLE } from './execution-recorder';
import type { ExecutionProfile } from '@amc-reports/dashboards';

export interface ConfigurationToBuild {
  id: string;
  name: string;
  dashboardType: DashboardType;
  visualizationSettings: unknown;
  dataAggregationSettings: unknown;
  exportSettings: unknown;
}

/**
 * A template-level configuration is a default, never a container of data: the workflow gets its
 * own copy (once, keyed by the source id), owned through the workflow's owner (DESIGN §3).
 */
export async function ensureTemplateCopies(prisma: PrismaClient, workflowId: string): Promise<void> {
  await prisma.$executeRaw`
    INSERT INTO report_configurations (workflow_id, source_configuration_id, name, dashboard_type, visualization_settings,
                                       data_aggregation_settings, export_settings, is_enabled)
    SELECT w.id, c.id, c.name, c.dashboard_type, c.visualization_settings, c.data_aggregation_settings, c.export_settings, true
    FROM workflows w JOIN report_configurations c ON c.query_template_id = w.query_template_id
    WHERE w.id = ${workflowId}::uuid AND c.is_enabled
    ON CONFLICT (workflow_id, source_configuration_id) WHERE source_configuration_id IS NOT NULL DO NOTHING`;
}

export async function enabledConfigurations(prisma: PrismaClient, workflowId: string): Promise<ConfigurationToBuild[]> {
  const rows = await prisma.reportConfiguration.findMany({ where: { workflowId, isEnabled: true }, orderBy: { createdAt: 'asc' } });
  return rows.map((row) => ({
    id: row.id, name: row.name, dashboardType: row.dashboardType as DashboardType, visualizationSettings: row.visualizationSettings,
    dataAggregationSettings: row.dataAggregationSettings, exportSettings: row.exportSettings,
  }));
}

function historyLength(aggregation: unknown): number {
  const requested = (aggregation as { historyLength?: unknown } | null)?.historyLength;
  return typeof requested === 'number' && requested >= 1 ? Math.min(Math.floor(requested), HISTORY_LENGTH_MAX) : HISTORY_LENGTH_DEFAULT;
}

/** The last N usable executions of the workflow (one per time window), oldest first. */
export async function loadHistory(prisma: PrismaClient, workflowId: string, length: number): Promise<ExecutionProfile[]> {
  const rows = await prisma.$queryRaw<{ id: string; time_window_start: Date; time_window_end: Date; result_profile: ResultProfile }[]>`
    SELECT id, time_window_start, time_window_end, result_profile FROM workflow_executions
    WHERE workflow_id = ${workflowId}::uuid AND status = 'SUCCEEDED' AND superseded_by IS NULL
      AND result_profile IS NOT NULL AND (error_code IS NULL OR error_code = ${REPORT_UNUSABLE})
    ORDER BY time_window_start DESC, completed_at DESC LIMIT ${length}`;
  return rows.reverse().map((row) => ({
    executionId: row.id, timeWindowStart: row.time_window_start.toISOString(), timeWindowEnd: row.time_window_end.toISOString(),
    profile: row.result_profile,
  }));
}

/** Rebuilds one configuration's views from history; returns the views written (empty without history). */
export async function rebuildConfiguration(prisma: PrismaClient, workflowId: string, config: ConfigurationToBuild): Promise<BuiltView[]> {
  const history = await loadHistory(prisma, workflowId, historyLength(config.dataAggregationSettings));
  const latest = history.at(-1);
  if (!latest) return [];
  const views = buildDashboard(config.dashboardType, {
    latest, history, settings: { visualization: config.visualizationSettings, aggregation: config.dataAggregationSettings },
  });
  const processedAt = new Date();
  await prisma.$transaction(async (tx) => {
    for (const view of views) {
      const data = {
        name: view.name, viewType: view.viewType, position: view.position, chartConfigurations: view.chart as object,
        processedData: view.data as object, sourceExecutionId: latest.executionId, processedAt,
      };
      await tx.dashboardView.upsert({
        where: { reportConfigurationId_viewKey: { reportConfigurationId: config.id, viewKey: view.key } },
        create: { reportConfigurationId: config.id, viewKey: view.key, ...data },
        update: data,
      });
    }
    // Views a builder no longer produces (a column disappeared) go; the rest keep their ids and layout.
    await tx.dashboardView.deleteMany({ where: { reportConfigurationId: config.id, viewKey: { notIn: views.map((v) => v.key) } } });
  });
  return views;
}
