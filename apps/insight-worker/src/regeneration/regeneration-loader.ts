import {
  DASHBOARD_TYPES, type BuiltView, type DashboardType,
} from '@amc-reports/contracts';
import { readExecutionProfiles, type PrismaClient, type ProfileCache } from '@amc-reports/db';
import type { ExecutionProfile } from '../findings/finding';
import type { InsightSettings } from '../findings/insight-metrics';
import { historyLength, insightSettings, insightThresholds, loadViews, REPORT_UNUSABLE, toProfile, type SkipReason } from '../insight-input-loader';
import type { HistoryEntry } from './history-fingerprint';

export interface RegenerationInputs {
  workflowId: string;
  dashboardType: DashboardType;
  aggregation: unknown;
  historyLength: number;
  settings: InsightSettings;
  thresholds: ReturnType<typeof insightThresholds>;
  views: BuiltView[];
  /** Every usable execution of the workflow (ids and order only, no profiles). */
  entries: HistoryEntry[];
  /** Stored fingerprints by execution id. */
  stored: Map<string, string | null>;
  /** When the history was read (Postgres' clock): requests made after it wait for the next pass. */
  readAt: Date;
}

export type LoadedRegeneration = { kind: 'ready'; inputs: RegenerationInputs } | { kind: 'skip'; reason: SkipReason };

/**
 * What a regeneration pass needs, in three queries whatever the history's length: the
 * configuration, its views, and the workflow's usable executions with their stored fingerprints
 * (the same usability rule as the dashboards' history). Profiles are read later, only for the
 * executions that are recomputed and their histories.
 */
export async function loadRegenerationInputs(prisma: PrismaClient, configurationId: string): Promise<LoadedRegeneration> {
  const configuration = await prisma.reportConfiguration.findUnique({
    where: { id: configurationId },
    select: { id: true, workflowId: true, isEnabled: true, dashboardType: true, dataAggregationSettings: true, visualizationSettings: true },
  });
  if (!configuration) return { kind: 'skip', reason: 'configuration_missing' };
  if (!configuration.isEnabled) return { kind: 'skip', reason: 'configuration_disabled' };
  if (!configuration.workflowId) return { kind: 'skip', reason: 'template_configuration' };
  const views = await loadViews(prisma, configuration.id);
  if (views.length === 0) return { kind: 'skip', reason: 'no_views' };

  const rows = await prisma.$queryRaw<Array<{ id: string; time_window_start: Date; completed_at: Date | null; fingerprint: string | null; read_at: Date }>>`
    SELECT x.id, x.time_window_start, x.completed_at, g.history_fingerprint AS fingerprint, statement_timestamp() AS read_at
    FROM workflow_executions x
    LEFT JOIN insight_generations g ON g.report_configuration_id = ${configurationId}::uuid AND g.execution_id = x.id
    WHERE x.workflow_id = ${configuration.workflowId}::uuid AND x.status = 'SUCCEEDED' AND x.superseded_by IS NULL
      AND x.result_profile IS NOT NULL AND (x.error_code IS NULL OR x.error_code = ${REPORT_UNUSABLE})`;
  const readAt = rows[0]?.read_at ?? (await prisma.$queryRaw<Array<{ read_at: Date }>>`SELECT statement_timestamp() AS read_at`)[0].read_at;
  const dashboardType = DASHBOARD_TYPES.includes(configuration.dashboardType as DashboardType) ? (configuration.dashboardType as DashboardType) : 'custom';
  return {
    kind: 'ready',
    inputs: {
      workflowId: configuration.workflowId,
      dashboardType,
      aggregation: configuration.dataAggregationSettings,
      historyLength: historyLength(configuration.dataAggregationSettings),
      settings: insightSettings(dashboardType, configuration.dataAggregationSettings),
      thresholds: insightThresholds(configuration.visualizationSettings),
      views,
      entries: rows.map((row) => ({ executionId: row.id, timeWindowStart: row.time_window_start.getTime(), completedAt: completedOrder(row.completed_at) })),
      stored: new Map(rows.map((row) => [row.id, row.fingerprint])),
      readAt,
    },
  };
}

/** The profiles of these executions: one query for those the cache does not hold. */
export async function loadProfiles(prisma: PrismaClient, executionIds: readonly string[], cache?: ProfileCache): Promise<Map<string, ExecutionProfile>> {
  if (executionIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<Array<{ id: string; time_window_start: Date; time_window_end: Date; time_zone: string | null }>>`
    SELECT id, time_window_start, time_window_end, time_zone FROM workflow_executions WHERE id = ANY(${[...executionIds]}::uuid[]) AND result_profile IS NOT NULL`;
  const profiles = await readExecutionProfiles(prisma, rows.map((row) => row.id), cache);
  return new Map(rows.flatMap((row) => {
    const profile = profiles.get(row.id);
    return profile ? [[row.id, toProfile(row, profile)] as const] : [];
  }));
}

/** `ORDER BY completed_at DESC` puts a missing completion time first, as if it were the newest. */
const completedOrder = (completedAt: Date | null): number => completedAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
