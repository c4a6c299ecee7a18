import type { BuiltView, DashboardType, ResultProfile } from '@amc-reports/contracts';
import { HISTORY_LENGTH_DEFAULT, HISTORY_LENGTH_MAX } from '@amc-reports/contracts/src/report-settings';
import type { PrismaClient } from '@amc-reports/db';
import { buildDashboard } from './builders/build-dashboard';
import { REPORT_UNUSABLE } from './execution-recorder';
import type { ExecutionProfile } from './builders/dashboard-build-input';

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

export function historyLength(aggregation: unknown): number {
  const requested = (aggregation as { historyLength?: unknown } | null)?.historyLength;
  return typeof requested === 'number' && requested >= 1 ? Math.min(Math.floor(requested), HISTORY_LENGTH_MAX) : HISTORY_LENGTH_DEFAULT;
}

/**
 * The last N usable executions of the workflow (one per time window), oldest first. Read once per
 * event for all its reports (N = the longest history any of them shows); each takes its tail.
 */
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

/**
 * Rebuilds one configuration's views from the workflow's history (its own length taken from the
 * tail); returns the views written (empty without history). The views are written in one
 * statement and the ones a builder no longer produces removed in a second, in one short batch
 * transaction (no round trip per view, nothing computed while it is open).
 */
export async function rebuildConfiguration(prisma: PrismaClient, config: ConfigurationToBuild, workflowHistory: ExecutionProfile[]): Promise<BuiltView[]> {
  const history = workflowHistory.slice(-historyLength(config.dataAggregationSettings));
  const latest = history.at(-1);
  if (!latest) return [];
  const views = buildDashboard(config.dashboardType, {
    latest, history, settings: { visualization: config.visualizationSettings, aggregation: config.dataAggregationSettings },
  });
  const rows = JSON.stringify(views.map((view) => ({
    view_key: view.key, name: view.name, view_type: view.viewType, position: view.position, chart: view.chart, data: view.data,
  })));
  await prisma.$transaction([
    prisma.$executeRaw`
      INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type, position, chart_configurations, processed_data,
                                   source_execution_id, processed_at)
      SELECT ${config.id}::uuid, v.view_key, v.name, v.view_type, v.position, v.chart, v.data, ${latest.executionId}::uuid, now()
      FROM jsonb_to_recordset(${rows}::jsonb) AS v(view_key text, name text, view_type text, position int, chart jsonb, data jsonb)
      ON CONFLICT (report_configuration_id, view_key) DO UPDATE
      SET name = excluded.name, view_type = excluded.view_type, position = excluded.position,
          chart_configurations = excluded.chart_configurations, processed_data = excluded.processed_data,
          source_execution_id = excluded.source_execution_id, processed_at = excluded.processed_at`,
    // Views a builder no longer produces (a column disappeared) go; the rest keep their ids and layout.
    prisma.$executeRaw`
      DELETE FROM dashboard_views WHERE report_configuration_id = ${config.id}::uuid AND view_key <> ALL(${views.map((v) => v.key)}::text[])`,
  ]);
  return views;
}
