import { UnrecoverableError } from 'bullmq';
import {
  DASHBOARD_TYPES, HISTORY_LENGTH_DEFAULT, HISTORY_LENGTH_MAX, REPORT_SETTINGS_SCHEMAS,
  type BuiltView, type DashboardType, type InsightGenerateJob, type ResultProfile,
} from '@amc-reports/contracts';
import type { ChartSpec } from '@amc-reports/charts/src/chart-spec';
import { readExecutionProfiles, type PrismaClient, type ProfileCache } from '@amc-reports/db';
import { InsightVisualizationSettings } from '@amc-reports/contracts/src/report-settings';
import type { ExecutionProfile, InsightInput } from './findings/finding';
import type { InsightSettings } from './findings/insight-metrics';
import type { InsightThresholds } from './findings/insight-thresholds';
import { loadFeedbackWeights } from './insight-feedback-reader';

/**
 * Mirrors the report-service's `REPORT_UNUSABLE` (execution-recorder.ts): one report's settings
 * not fitting a result does not take the execution out of the history. Apps do not import each
 * other, so the rule is restated here; both must change together.
 */
export const REPORT_UNUSABLE = 'REPORT_UNUSABLE';

export type SkipReason =
  | 'history_unchanged'
  | 'configuration_missing'
  | 'configuration_disabled'
  | 'template_configuration'
  | 'execution_missing'
  | 'execution_not_succeeded'
  | 'execution_unusable'
  | 'execution_superseded'
  | 'no_views';

export interface InsightTarget {
  configurationId: string;
  workflowId: string;
  input: InsightInput;
  /** data_aggregation_settings as stored (part of the history fingerprint). */
  aggregation: unknown;
}

export type LoadedTarget = { kind: 'ready'; target: InsightTarget } | { kind: 'skip'; reason: SkipReason; detail?: string };

/** An execution without its profile: profiles come through readExecutionProfiles (and its cache). */
export interface ExecutionRow {
  id: string;
  workflow_id: string;
  status: string;
  time_window_start: Date;
  time_window_end: Date;
  /** The event's zone: the days an insight names are read in it, as the dashboard's are. */
  time_zone: string | null;
  has_profile: boolean;
  error_code: string | null;
  superseded_by: string | null;
}

/**
 * Everything composeInsights needs for one (configuration, execution), read as the owner role.
 * Rows that went away or became unusable between enqueue and now are a skip with a reason, not a
 * failure: the job is stale, retrying cannot help and nothing is wrong. Only a payload that can
 * never be right (an execution of another workflow) is an UnrecoverableError.
 */
export async function loadInsightTarget(prisma: PrismaClient, job: InsightGenerateJob, cache?: ProfileCache): Promise<LoadedTarget> {
  const configuration = await prisma.reportConfiguration.findUnique({
    where: { id: job.configurationId },
    select: { id: true, workflowId: true, isEnabled: true, dashboardType: true, dataAggregationSettings: true, visualizationSettings: true },
  });
  if (!configuration) return { kind: 'skip', reason: 'configuration_missing' };
  if (!configuration.isEnabled) return { kind: 'skip', reason: 'configuration_disabled' };
  // Views and insights only ever hang from workflow-level configurations (DESIGN §3).
  if (!configuration.workflowId) return { kind: 'skip', reason: 'template_configuration' };

  const [execution] = await prisma.$queryRaw<ExecutionRow[]>`
    SELECT id, workflow_id, status, time_window_start, time_window_end, time_zone, result_profile IS NOT NULL AS has_profile, error_code, superseded_by
    FROM workflow_executions WHERE id = ${job.executionId}::uuid`;
  if (!execution) return { kind: 'skip', reason: 'execution_missing' };
  if (execution.workflow_id !== configuration.workflowId) {
    throw new UnrecoverableError(`execution ${job.executionId} belongs to another workflow than configuration ${job.configurationId}`);
  }
  if (execution.status !== 'SUCCEEDED') return { kind: 'skip', reason: 'execution_not_succeeded', detail: execution.status };
  if (!execution.has_profile || (execution.error_code !== null && execution.error_code !== REPORT_UNUSABLE)) {
    return { kind: 'skip', reason: 'execution_unusable', detail: execution.error_code ?? 'no result profile' };
  }
  // A newer execution of the same window replaced this one in every history: its insights will come with it.
  if (execution.superseded_by) return { kind: 'skip', reason: 'execution_superseded', detail: execution.superseded_by };

  const views = await loadViews(prisma, configuration.id);
  if (views.length === 0) return { kind: 'skip', reason: 'no_views' };

  const dashboardType = DASHBOARD_TYPES.includes(configuration.dashboardType as DashboardType)
    ? (configuration.dashboardType as DashboardType)
    : 'custom';
  const earlierRows = await loadEarlierHistory(prisma, execution, historyLength(configuration.dataAggregationSettings) - 1);
  const profiles = await readExecutionProfiles(prisma, [...earlierRows, execution].map((row) => row.id), cache);
  const latestProfile = profiles.get(execution.id);
  // Its profile went between the two reads (a re-sent event is being processed): the job is stale.
  if (!latestProfile) return { kind: 'skip', reason: 'execution_unusable', detail: 'no result profile' };
  const latest = toProfile(execution, latestProfile);
  const earlier = earlierRows.flatMap((row) => {
    const profile = profiles.get(row.id);
    return profile ? [toProfile(row, profile)] : [];
  });
  const feedback = await loadFeedbackWeights(prisma, configuration.id, execution.time_window_start);
  return {
    kind: 'ready',
    target: {
      configurationId: configuration.id,
      workflowId: configuration.workflowId,
      aggregation: configuration.dataAggregationSettings,
      input: {
        dashboardType,
        latest,
        history: [...earlier, latest],
        views,
        settings: insightSettings(dashboardType, configuration.dataAggregationSettings),
        thresholds: insightThresholds(configuration.visualizationSettings),
        feedback,
      },
    },
  };
}

/**
 * The same history rule as the dashboards (report-service dashboard-rebuilder `loadHistory`), but
 * ending at this execution's window: a job that runs late, after newer weeks arrived, still
 * describes its own execution against what came before it, never against the future.
 */
async function loadEarlierHistory(prisma: PrismaClient, execution: ExecutionRow, length: number): Promise<ExecutionRow[]> {
  if (length <= 0) return [];
  const rows = await prisma.$queryRaw<ExecutionRow[]>`
    SELECT id, workflow_id, status, time_window_start, time_window_end, time_zone, true AS has_profile, error_code, superseded_by
    FROM workflow_executions
    WHERE workflow_id = ${execution.workflow_id}::uuid AND status = 'SUCCEEDED' AND superseded_by IS NULL
      AND result_profile IS NOT NULL AND (error_code IS NULL OR error_code = ${REPORT_UNUSABLE})
      AND time_window_start < ${execution.time_window_start}
    ORDER BY time_window_start DESC, completed_at DESC LIMIT ${length}`;
  return rows.reverse();
}

export function toProfile(row: Pick<ExecutionRow, 'id' | 'time_window_start' | 'time_window_end' | 'time_zone'>, profile: ResultProfile): ExecutionProfile {
  return {
    executionId: row.id,
    timeWindowStart: row.time_window_start.toISOString(),
    timeWindowEnd: row.time_window_end.toISOString(),
    timeZone: row.time_zone,
    profile,
  };
}

/**
 * Stored views as far as insights use them: keys, positions and chart fields (which view an
 * insight belongs to, and the views' shape in the history fingerprint). Not their data: a
 * 200-campaign table is most of a view's bytes, and parsing it for every insight set was waste.
 */
export async function loadViews(prisma: PrismaClient, configurationId: string): Promise<BuiltView[]> {
  const rows = await prisma.dashboardView.findMany({
    where: { reportConfigurationId: configurationId },
    orderBy: [{ position: 'asc' }, { viewKey: 'asc' }],
    select: { viewKey: true, name: true, viewType: true, position: true, chartConfigurations: true },
  });
  return rows.map((row) => {
    // jsonb written by another app: a view without a chart must not break the view matching.
    const chart = (row.chartConfigurations ?? {}) as Partial<ChartSpec>;
    return {
      key: row.viewKey,
      name: row.name,
      viewType: row.viewType as BuiltView['viewType'],
      position: row.position,
      chart: { kind: chart.kind ?? 'table', title: chart.title ?? row.name, x: chart.x, series: Array.isArray(chart.series) ? chart.series : [] },
      data: { rows: [] },
    };
  });
}

export function historyLength(aggregation: unknown): number {
  const requested = (aggregation as { historyLength?: unknown } | null)?.historyLength;
  return typeof requested === 'number' && requested >= 1 ? Math.min(Math.floor(requested), HISTORY_LENGTH_MAX) : HISTORY_LENGTH_DEFAULT;
}

/**
 * The settings the dashboard was built with (column overrides, spend unit, currency, touch model,
 * stages), read through the same schema; settings that no longer parse are the defaults, as the
 * dashboard builder would refuse them anyway.
 */
export function insightSettings(dashboardType: DashboardType, aggregation: unknown): InsightSettings {
  const parsed = REPORT_SETTINGS_SCHEMAS[dashboardType].aggregation.safeParse(aggregation ?? {});
  if (!parsed.success) return {};
  const settings = parsed.data as InsightSettings & Record<string, unknown>;
  return {
    columns: settings.columns,
    spendUnit: settings.spendUnit,
    currency: settings.currency,
    attributionModel: settings.attributionModel,
    ...(Array.isArray(settings.stages) ? { stages: settings.stages } : {}),
  };
}

/**
 * `visualization_settings.insights` (floors and the metric budgets are judged by). Read on its own:
 * a report whose other visualization settings no longer parse keeps its insight settings, and
 * ones that do not parse mean the defaults.
 */
export function insightThresholds(visualization: unknown): Partial<InsightThresholds> {
  const raw = (visualization as { insights?: unknown } | null)?.insights;
  const parsed = InsightVisualizationSettings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}
