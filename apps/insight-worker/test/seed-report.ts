/**
 * Test helper: a user, a workflow with a funnel report and the 8-week sample history written
 * straight into the database (owner connection), the way the report-service leaves them, so the
 * insight service can be driven without the rest of the pipeline.
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '@amc-reports/db';
import { seedOrganization } from '@amc-reports/testing';
import type { ExecutionProfile } from '../src/findings/finding';
import { loadWeeklyHistory } from './profile-from-csv';

export interface SeededReport {
  userId: string;
  workflowId: string;
  configurationId: string;
  /** Database ids of weeks 1..8, oldest first. */
  executionIds: string[];
  viewIds: Record<string, string>;
}

function countSeries() {
  return ['impressions', 'clicks', 'add_to_cart', 'purchases'].map((field) => ({ field, label: field }));
}

/** Views shaped like the funnel builder's: a stage chart, campaigns by metric, history, insights. */
export const SAMPLE_VIEWS = [
  {
    key: 'funnel.stages', name: 'Funnel', viewType: 'chart',
    chart: { kind: 'funnel', title: 'Funnel', x: { field: 'stage', type: 'category' }, series: [{ field: 'value', label: 'Value' }] },
  },
  {
    key: 'funnel.campaigns', name: 'Campaigns', viewType: 'table',
    chart: { kind: 'table', title: 'Campaigns', x: { field: 'campaign', type: 'category' }, series: countSeries() },
  },
  {
    key: 'funnel.history', name: 'History', viewType: 'chart',
    chart: { kind: 'line', title: 'History', x: { field: 'timeWindowStart', type: 'time' }, series: countSeries() },
  },
  { key: 'insights', name: 'Insights', viewType: 'insight', chart: { kind: 'table', title: 'Insights', series: [] } },
] as const;

export async function seedFunnelReport(
  prisma: PrismaClient,
  options: { weeks?: ExecutionProfile[]; instanceId?: string; dataAggregationSettings?: object } = {},
): Promise<SeededReport> {
  const weeks = options.weeks ?? loadWeeklyHistory();
  const instanceId = options.instanceId ?? `amcinst${randomUUID().slice(0, 8)}`;
  const user = await prisma.user.create({ data: { id: randomUUID(), email: `${randomUUID()}@example.com` } });
  const { organizationId } = await seedOrganization(prisma, { instanceIds: [instanceId], members: [{ userId: user.id, role: 'owner' }] });
  const workflow = await prisma.workflow.create({
    data: { organizationId, createdBy: user.id, name: 'Weekly funnel', sqlQuery: 'SELECT 1', amcInstanceId: instanceId, reportEnabled: true },
  });
  const configuration = await prisma.reportConfiguration.create({
    data: { workflowId: workflow.id, name: 'Funnel report', dashboardType: 'funnel', dataAggregationSettings: options.dataAggregationSettings ?? {} },
  });
  const executionIds: string[] = [];
  for (const [index, week] of weeks.entries()) {
    const execution = await prisma.workflowExecution.create({
      data: {
        workflowId: workflow.id, amcInstanceId: instanceId, amcExecutionId: `${week.executionId}-${randomUUID().slice(0, 8)}`,
        status: 'SUCCEEDED', timeWindowStart: new Date(week.timeWindowStart), timeWindowEnd: new Date(week.timeWindowEnd), timeZone: week.timeZone ?? null,
        rowCount: week.profile.rowCount, resultProfile: week.profile as object,
        completedAt: new Date(Date.parse(week.timeWindowEnd) + 3_600_000 + index),
      },
    });
    executionIds.push(execution.id);
  }
  const viewIds: Record<string, string> = {};
  for (const [position, view] of SAMPLE_VIEWS.entries()) {
    const row = await prisma.dashboardView.create({
      data: {
        reportConfigurationId: configuration.id, viewKey: view.key, name: view.name, viewType: view.viewType, position,
        chartConfigurations: view.chart as object, processedData: { rows: [] }, sourceExecutionId: executionIds.at(-1), processedAt: new Date(),
      },
    });
    viewIds[view.key] = row.id;
  }
  return { userId: user.id, workflowId: workflow.id, configurationId: configuration.id, executionIds, viewIds };
}
