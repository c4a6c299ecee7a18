import type { BuiltView, DashboardType } from '@amc-reports/contracts';
import { HISTORY_LENGTH_DEFAULT, HISTORY_LENGTH_MAX } from '@amc-reports/contracts/src/report-settings';
import { type PgSql, type ProfileCache, type RawSql, readExecutionProfiles, readReportTimeline } from '@amc-reports/db';
import { buildPlannedDashboard, planPeriod, profilesNeeded, toTimelineExecution, UnusableResultError, type TimelineExecution } from '@amc-reports/dashboards';

export interface ConfigurationToBuild {
  id: string;
  name: string;
  dashboardType: DashboardType;
  visualizationSettings: unknown;
  dataAggregationSettings: unknown;
  exportSettings: unknown;
  /**
   * An enabled after_execution subscription exists: only then is a delivery.execution job queued
   * (the job itself reads the subscriptions again when it runs). Without, a replay of 100,000
   * events queued 100,000 jobs per report that found nothing to send.
   */
  deliversAfterExecution: boolean;
}

interface ConfigurationRow {
  id: string;
  name: string;
  dashboard_type: string;
  visualization_settings: unknown;
  data_aggregation_settings: unknown;
  export_settings: unknown;
  delivers_after_execution: boolean;
}

const toConfiguration = (row: ConfigurationRow): ConfigurationToBuild => ({
  id: row.id, name: row.name, dashboardType: row.dashboard_type as DashboardType, visualizationSettings: row.visualization_settings,
  dataAggregationSettings: row.data_aggregation_settings, exportSettings: row.export_settings,
  deliversAfterExecution: row.delivers_after_execution,
});

/**
 * The workflow's enabled configurations, oldest first, after giving it its own copy of each
 * template-level one (once, keyed by the source id): a template configuration is a default, never
 * a container of data, owned through the workflow's owner (DESIGN §3). One statement: the copies
 * made now come from the INSERT's RETURNING, since the SELECT beside it does not see them.
 */
export async function workflowConfigurations(db: RawSql, workflowId: string): Promise<ConfigurationToBuild[]> {
  const rows = await db.$queryRaw<ConfigurationRow[]>`
    WITH copied AS (
      INSERT INTO report_configurations (workflow_id, source_configuration_id, name, dashboard_type, visualization_settings,
                                         data_aggregation_settings, export_settings, is_enabled)
      SELECT w.id, c.id, c.name, c.dashboard_type, c.visualization_settings, c.data_aggregation_settings, c.export_settings, true
      FROM workflows w JOIN report_configurations c ON c.query_template_id = w.query_template_id
      WHERE w.id = ${workflowId}::uuid AND c.is_enabled
      ON CONFLICT (workflow_id, source_configuration_id) WHERE source_configuration_id IS NOT NULL DO NOTHING
      RETURNING id, name, dashboard_type, visualization_settings, data_aggregation_settings, export_settings, created_at
    )
    SELECT c.*, EXISTS (SELECT 1 FROM report_subscriptions s
                        WHERE s.report_configuration_id = c.id AND s.trigger_kind = 'after_execution' AND s.is_enabled) AS delivers_after_execution
    FROM (
      SELECT id, name, dashboard_type, visualization_settings, data_aggregation_settings, export_settings, created_at
      FROM report_configurations WHERE workflow_id = ${workflowId}::uuid AND is_enabled
      UNION ALL SELECT * FROM copied
    ) c ORDER BY c.created_at, c.id`;
  return rows.map(toConfiguration);
}

/** The ids of the workflow's enabled configurations, oldest first (a failed job's announcements and held insights). */
export async function enabledConfigurationIds(db: RawSql, workflowId: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM report_configurations WHERE workflow_id = ${workflowId}::uuid AND is_enabled ORDER BY created_at, id`;
  return rows.map((row) => row.id);
}

function historyLength(aggregation: unknown): number {
  const requested = (aggregation as { historyLength?: unknown } | null)?.historyLength;
  return typeof requested === 'number' && requested >= 1 ? Math.min(Math.floor(requested), HISTORY_LENGTH_MAX) : HISTORY_LENGTH_DEFAULT;
}

/** What a rebuild wrote: the views, and the execution they show (null without a usable one). */
export interface Rebuilt {
  views: BuiltView[];
  shownExecutionId: string | null;
}

/**
 * Rebuilds one configuration's views from its history: the newest window this report can use,
 * its cards compared with the window right before (a failed or missing one is a gap, named), the
 * history charts with their gaps. Throws ShownResultUnusable (naming the execution shown) when
 * its result cannot make this dashboard.
 */
export async function rebuildConfiguration(
  db: PgSql, workflowId: string, config: ConfigurationToBuild, cache?: ProfileCache,
): Promise<Rebuilt> {
  let timeline = await readTimeline(db, workflowId, config.id);
  for (let round = 1; ; round++) {
    const rebuilt = await buildAndWrite(db, config, timeline, cache);
    // Two jobs of one workflow (REPORT_CONCURRENCY, or several report services) can each read the
    // history before the other's execution is recorded, and the one writing last would leave its
    // older window. Read it again after writing: the writer that commits last sees every execution
    // recorded before its commit, and builds once more when the history moved meanwhile.
    const after = await readTimeline(db, workflowId, config.id);
    if (JSON.stringify(after) === JSON.stringify(timeline) || round === REBUILD_ROUNDS) return rebuilt;
    timeline = after;
  }
}

/** Enough for a history that keeps moving under a backlog: every later event's own job rebuilds too. */
const REBUILD_ROUNDS = 3;

async function readTimeline(db: RawSql, workflowId: string, configId: string): Promise<TimelineExecution[]> {
  return (await readReportTimeline(db, workflowId, configId)).map(toTimelineExecution);
}

async function buildAndWrite(db: PgSql, config: ConfigurationToBuild, timeline: TimelineExecution[], cache?: ProfileCache): Promise<Rebuilt> {
  const plan = planPeriod(timeline, { kind: 'latest' }, { kind: 'previous' }, historyLength(config.dataAggregationSettings));
  const shown = plan.period.members[0];
  if (!shown) return { views: [], shownExecutionId: null };
  const profiles = await readExecutionProfiles(db, profilesNeeded(plan), cache);
  const settings = { visualization: config.visualizationSettings, aggregation: config.dataAggregationSettings };
  let views: BuiltView[];
  try {
    ({ views } = buildPlannedDashboard(config.dashboardType, settings, plan, profiles, { compareTables: false }));
  } catch (error) {
    if (error instanceof UnusableResultError) throw new ShownResultUnusable(shown.executionId, error);
    throw error;
  }
  // One short batch transaction, nothing computed while it is open: the views in one statement (not
  // a round trip each), the ones a builder no longer produces (a column disappeared) removed, the
  // rest keeping their ids and layout.
  const rows = JSON.stringify(views.map((view) => ({
    view_key: view.key, name: view.name, view_type: view.viewType, position: view.position, chart: view.chart, data: view.data,
  })));
  await db.transaction(async (tx) => {
    // Two rebuilds of one report upserting the same view keys at once can deadlock in Postgres'
    // speculative insertion (the storm's bare loop did): one writer per report at a time.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${config.id}, 17)) IS NULL AS locked`;
    await tx.$executeRaw`
      INSERT INTO dashboard_views (report_configuration_id, view_key, name, view_type, position, chart_configurations, processed_data,
                                   source_execution_id, processed_at)
      SELECT ${config.id}::uuid, v.view_key, v.name, v.view_type, v.position, v.chart, v.data, ${shown.executionId}::uuid, now()
      FROM jsonb_to_recordset(${rows}::jsonb) AS v(view_key text, name text, view_type text, position int, chart jsonb, data jsonb)
      ON CONFLICT (report_configuration_id, view_key) DO UPDATE
      SET name = excluded.name, view_type = excluded.view_type, position = excluded.position,
          chart_configurations = excluded.chart_configurations, processed_data = excluded.processed_data,
          source_execution_id = excluded.source_execution_id, processed_at = excluded.processed_at`;
    await tx.$executeRaw`
      DELETE FROM dashboard_views WHERE report_configuration_id = ${config.id}::uuid AND view_key <> ALL(${views.map((v) => v.key)}::text[])`;
    // Built from it, so this report can use it (again): a verdict from older settings no longer holds.
    await tx.$executeRaw`
      DELETE FROM report_unusable_executions WHERE report_configuration_id = ${config.id}::uuid AND execution_id = ${shown.executionId}::uuid`;
  });
  return { views, shownExecutionId: shown.executionId };
}

/** The shown execution's result cannot make this report's dashboard: recorded for this report only. */
export class ShownResultUnusable extends Error {
  override readonly name = 'ShownResultUnusable';

  constructor(readonly executionId: string, readonly problem: UnusableResultError) {
    super(problem.message);
  }
}

/**
 * This report cannot use the execution's result (its settings name a column the result lacks…):
 * the report's dashboard keeps the previous good execution under a banner; the workflow's other
 * reports are unaffected. Idempotent (a retried job writes the same row).
 */
export async function recordReportUnusable(db: RawSql, reportId: string, executionId: string, error: UnusableResultError): Promise<void> {
  await db.$executeRaw`
    INSERT INTO report_unusable_executions (report_configuration_id, execution_id, error_code, error)
    VALUES (${reportId}::uuid, ${executionId}::uuid, ${error.reason}, ${error.message.slice(0, 2_000)})
    ON CONFLICT (report_configuration_id, execution_id) DO UPDATE SET error_code = excluded.error_code, error = excluded.error`;
}
