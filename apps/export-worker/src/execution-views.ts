import { HISTORY_LENGTH_DEFAULT, HISTORY_LENGTH_MAX, type BuiltView, type DashboardType, type ResultProfile } from '@amc-reports/contracts';
import { buildPlannedDashboard, PeriodRequestError, planPeriod, profilesNeeded, toTimelineExecution, UnusableResultError } from '@amc-reports/dashboards';
import { type PrismaClient, readExecutionProfiles, readReportTimeline } from '@amc-reports/db';
import { ExportInputError } from './renderers/export-document';

/**
 * The views of any execution of a report, for an export that names one the dashboard no longer
 * shows: planned and built the way the report service builds the latest ones (libs/dashboards:
 * the report's timeline with its own verdicts, cards compared with the window right before, the
 * history up to it with its gaps), so an export of last month reads exactly as last month's
 * dashboard did. Nothing is written: the stored dashboard_views stay the latest execution's.
 */

export interface ReportToBuild {
  id: string;
  workflowId: string;
  dashboardType: DashboardType;
  visualizationSettings: unknown;
  dataAggregationSettings: unknown;
}

function historyLength(aggregation: unknown): number {
  const requested = (aggregation as { historyLength?: unknown } | null)?.historyLength;
  return typeof requested === 'number' && requested >= 1 ? Math.min(Math.floor(requested), HISTORY_LENGTH_MAX) : HISTORY_LENGTH_DEFAULT;
}

export async function buildExecutionViews(prisma: PrismaClient, report: ReportToBuild, executionId: string): Promise<BuiltView[]> {
  const timeline = (await readReportTimeline(prisma, report.workflowId, report.id)).map(toTimelineExecution);
  let plan: ReturnType<typeof planPeriod>;
  try {
    plan = planPeriod(timeline, { kind: 'execution', executionId }, { kind: 'previous' }, historyLength(report.dataAggregationSettings));
  } catch (error) {
    if (error instanceof PeriodRequestError) throw new ExportInputError(`execution ${executionId}: ${error.message}`);
    throw error;
  }
  if (plan.period.members.length === 0) {
    throw new ExportInputError(`execution ${executionId} has no result to build a dashboard from (${plan.period.reason ?? plan.period.state})`);
  }
  const profiles = await readExecutionProfiles(prisma, profilesNeeded(plan));
  const settings = { visualization: report.visualizationSettings, aggregation: report.dataAggregationSettings };
  try {
    return buildPlannedDashboard(report.dashboardType, settings, plan, profiles, { compareTables: false }).views;
  } catch (error) {
    if (error instanceof UnusableResultError) throw new ExportInputError(`execution ${executionId} cannot make this dashboard: ${error.message}`);
    throw error;
  }
}
