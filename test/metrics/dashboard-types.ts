/**
 * Test helper: one AMC result of each dashboard type, spend in millicents (AMC's unit for
 * total_cost / imp_total_cost), played through the real gateway as signed events; what the
 * dashboard, the insights and the CSV export then say about each.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { apiClient, type AppStack, until, waitForBusEvent } from '@amc-reports/testing';
import { inlineResult as inlineFixture } from '../../apps/report-service/test/amc-results';
import { deliverExecution, download, type ExportEventLog, type Api } from '../../apps/export-worker/test/export-e2e';

export const FIXTURES = path.join(__dirname, 'fixtures');
const relative = (file: string) => path.relative(path.join(__dirname, '../../libs/result-profile/test/fixtures'), path.join(FIXTURES, file));

export function inlineResult(file: string) {
  return inlineFixture(relative(file));
}

export interface DashboardCase {
  name: string;
  dashboardType: 'funnel' | 'performance' | 'attribution' | 'audience' | 'custom';
  /** The view whose cards the summary insight must agree with. */
  cardsView: string;
  /** Executions in order: a fixture, or a failed run. */
  executions: Array<{ file: string; filter?: (row: unknown[]) => boolean } | { failed: string }>;
  settings?: Record<string, unknown>;
}

const headline = ['impressions', 'clicks', 'purchases', 'sales', 'spend', 'ctr', 'purchaseRateOfClicks', 'roas'];
const firstHalf = (row: unknown[]) => Number(String(row[0]).slice(8, 10)) <= 15;
const secondHalf = (row: unknown[]) => Number(String(row[0]).slice(8, 10)) > 15;

export const DASHBOARD_CASES: DashboardCase[] = [
  { name: 'funnel', dashboardType: 'funnel', cardsView: 'funnel.cards', executions: [{ file: 'funnel_millicents.csv' }] },
  { name: 'performance', dashboardType: 'performance', cardsView: 'performance.cards', executions: [{ file: 'performance_millicents.csv' }] },
  { name: 'attribution', dashboardType: 'attribution', cardsView: 'attribution.cards', executions: [{ file: 'attribution_millicents.csv' }] },
  { name: 'audience overlap', dashboardType: 'audience', cardsView: 'audience.cards', executions: [{ file: 'audience_overlap_millicents.csv' }] },
  { name: 'frequency', dashboardType: 'audience', cardsView: 'audience.cards', executions: [{ file: 'frequency_millicents.csv' }] },
  { name: 'path to conversion', dashboardType: 'audience', cardsView: 'audience.cards', executions: [{ file: 'path_to_conversion_millicents.csv' }] },
  {
    name: 'custom',
    dashboardType: 'custom',
    cardsView: 'custom.headline',
    // The middle run failed: the cards name that window as the gap they are not compared across.
    executions: [{ file: 'performance_millicents.csv', filter: firstHalf }, { failed: 'Query results did not meet the aggregation threshold' }, { file: 'performance_millicents.csv', filter: secondHalf }],
    settings: {
      visualizationSettings: {
        views: [
          { key: 'headline', title: 'Headline metrics', kind: 'metric', metrics: headline },
          { key: 'roas-by-campaign', title: 'ROAS and cost per purchase by campaign', kind: 'table', x: 'campaign', metrics: ['roas', 'cpa'] },
          { key: 'money-by-day', title: 'Sales and spend by day', kind: 'line', x: 'event_date', metrics: ['sales', 'spend', 'roas'] },
        ],
      },
    },
  },
];

export function weekWindow(week: number) {
  const start = new Date(Date.UTC(2026, 9, 5 + (week - 1) * 7));
  return { start: start.toISOString(), end: new Date(start.getTime() + 7 * 86_400_000 - 1000).toISOString(), timeZone: 'UTC' };
}

export interface PlayedDashboard {
  reportId: string;
  latestExecutionId: string;
  board: Record<string, any>;
  insights: Array<Record<string, any>>;
  csv: Buffer;
}

/** Creates the report (as the other e2e specs seed them: workflow, then report), plays its executions, waits for insights, exports CSV. */
export async function playDashboard(stack: AppStack, api: Api, token: string, events: ExportEventLog, spec: DashboardCase, index: number): Promise<PlayedDashboard> {
  const instanceId = `amcmetric${index}`;
  // Seeded as the other e2e specs do: a workflow through the API, then its report with the settings.
  const workflow = await api.post('/v1/workflows', { name: `${spec.name} workflow`, sqlQuery: 'SELECT 1', amcInstanceId: instanceId, amcWorkflowId: `wf_metrics_${index}` });
  if (workflow.status !== 201) throw new Error(`workflow not created: ${JSON.stringify(workflow.body)}`);
  const report = await api.post('/v1/reports', { workflowId: workflow.body.id, name: `${spec.name} (millicents)`, dashboardType: spec.dashboardType, ...spec.settings });
  if (report.status !== 201) throw new Error(`report not created: ${JSON.stringify(report.body)}`);
  const reportId = report.body.id as string;
  const workflowId = workflow.body.id as string;
  let latestExecutionId = '';
  for (const [week, execution] of spec.executions.entries()) {
    const last = week === spec.executions.length - 1;
    const insights = last ? await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'insights.generated', (event) => event.reportId === reportId, 60_000) : null;
    await insights?.subscribed;
    const common = { workflowId, instanceId, amcWorkflowId: `wf_metrics_${index}`, timeWindow: weekWindow(week + 1), type: 'amc.execution.completed' };
    if ('failed' in execution) {
      await deliverExecution(stack, reportId, { ...common, status: 'FAILED', error: { code: 'PrivacyThresholdNotMet', message: execution.failed } });
      continue;
    }
    const result = inlineResult(execution.file);
    if (execution.filter) result.rows = result.rows.filter(execution.filter);
    const updated = await deliverExecution(stack, reportId, { ...common, status: 'SUCCEEDED', result });
    latestExecutionId = updated.executionId;
    await insights?.event;
  }
  // The event above may be an earlier execution's (a coalesced regeneration, or a job two at a
  // time finishing late): wait for the latest execution's own set, its summary first of all.
  const insights = await until(`the insights of execution ${latestExecutionId} of ${spec.name}`, async () => {
    const items: Array<Record<string, any>> = (await api.get(`/v1/reports/${reportId}/insights?executionId=${latestExecutionId}&limit=100`)).body.items;
    return items.some((insight) => insight.type === 'summary') ? items : null;
  });
  const board = (await api.get(`/v1/reports/${reportId}/dashboard`)).body;
  const requested = await api.post(`/v1/reports/${reportId}/exports`, { format: 'csv' });
  if (requested.status !== 202) throw new Error(`export refused: ${JSON.stringify(requested.body)}`);
  await events.finished(requested.body.id);
  const file = await download(stack.gatewayUrl, token, requested.body.id);
  return { reportId, latestExecutionId, board, insights, csv: file.body };
}

/** The records of one view's CSV in the dashboard's ZIP (found through manifest.json): [header, ...rows]. */
export function viewCsv(zip: Buffer, viewName: string): string[][] {
  const entries = unzipSync(zip);
  const manifest = JSON.parse(Buffer.from(entries['manifest.json']).toString('utf8')) as { files: Array<{ file: string; view: string }> };
  const entry = manifest.files.find((file) => file.view === viewName);
  if (!entry) throw new Error(`no CSV of "${viewName}" in ${manifest.files.map((file) => file.view).join(', ')}`);
  return parse(Buffer.from(entries[entry.file]), { bom: true }) as string[][];
}

export { apiClient, randomUUID };
