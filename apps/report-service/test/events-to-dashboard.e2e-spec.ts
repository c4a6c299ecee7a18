import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { parse as parseCsv } from 'csv-parse/sync';
import { DELIVERY_QUEUE, deliveryExecutionJobId, INSIGHT_BATCH_BACKLOG } from '@amc-reports/contracts';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';
import { FIXTURES, inlineResult, weekWindow } from './amc-results';

let stack: AppStack;
let db: Client;
let downloads: Server;
let downloadUrl: string;
const requestedPaths: string[] = [];
const owner = randomUUID();
const stranger = randomUUID();
let api: ReturnType<typeof apiClient>;
const instanceId = 'amcinst0001';

beforeAll(async () => {
  // A fake AMC result host (the one thing outside the system), serving the fixture CSVs.
  downloads = createServer((request, response) => {
    requestedPaths.push(request.url ?? '');
    const file = path.join(FIXTURES, path.basename(request.url ?? ''));
    if (request.url?.startsWith('/expired')) return void response.writeHead(403).end('Request has expired');
    if (!fs.existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/csv' });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => downloads.listen(0, '127.0.0.1', resolve));
  downloadUrl = `http://127.0.0.1:${(downloads.address() as AddressInfo).port}`;
  stack = await startAppStack(['gateway', 'report-service'], { RESULT_URL_ALLOWLIST: '127.0.0.1', RESULT_URL_ALLOW_HTTP: 'true' });
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  api = await stack.memberApi({ userId: owner, instanceIds: [instanceId], email: 'owner@example.com' });
}, 120_000);

afterAll(async () => {
  await db?.end();
  await stack?.stop();
  await new Promise((resolve) => downloads?.close(resolve));
});

async function createReport(dashboardType: string, amcWorkflowId: string, settings: Record<string, unknown> = {}) {
  const template = await api.post('/v1/query-templates', { name: `${dashboardType} template`, sqlQuery: 'SELECT 1', defaultDashboardType: dashboardType });
  const workflow = await api.post('/v1/workflows', { name: `${dashboardType} workflow`, sqlQuery: 'SELECT 1', queryTemplateId: template.body.id, amcInstanceId: instanceId, amcWorkflowId });
  const enabled = await api.patch(`/v1/workflows/${workflow.body.id}`, { reportEnabled: true });
  expect(enabled.status).toBe(200);
  if (Object.keys(settings).length > 0) expect((await api.patch(`/v1/reports/${enabled.body.reportConfigId}`, settings)).status).toBe(200);
  return { workflowId: workflow.body.id as string, reportId: enabled.body.reportConfigId as string };
}

/** Posts a signed event and resolves once the report service announced that report's update. */
async function deliver(reportId: string, body: Record<string, unknown>) {
  const waiter = await waitForBusEvent<{ reportId: string; executionId: string; status: string }>(stack.redisUrl, 'dashboard.updated', (e) => e.reportId === reportId);
  await waiter.subscribed;
  const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, { eventId: randomUUID(), executionId: randomUUID(), instanceId, ...body });
  expect(response.status).toBe(202);
  return waiter.event;
}

async function dashboard(reportId: string) {
  const response = await api.get(`/v1/reports/${reportId}/dashboard`);
  expect(response.status).toBe(200);
  return response.body;
}

const view = (board: Record<string, any>, key: string) => board.views.find((v: { key: string }) => v.key === key);

it('turns a signed event with inline rows into a funnel dashboard readable through the API', async () => {
  const { workflowId, reportId } = await createReport('funnel', 'wf_inline');
  await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: inlineResult('funnel_by_campaign.csv') });
  const board = await dashboard(reportId);
  expect(board.report).toMatchObject({ id: reportId, dashboardType: 'funnel' });
  expect(board.latestRun).toMatchObject({ status: 'SUCCEEDED', rowCount: 8, error: null });
  expect(board.views.length).toBeGreaterThan(1);
  const stages = view(board, 'funnel.stages');
  expect(stages.chart.kind).toBeDefined();
  expect(stages.data.rows.length).toBe(5);
  // The raw result is archived for raw exports.
  const raw = await db.query('SELECT raw_result_key FROM workflow_executions WHERE workflow_id = $1', [workflowId]);
  const archived = parseCsv(fs.readFileSync(path.join(stack.env.STORAGE_DIR!, raw.rows[0].raw_result_key), 'utf8')) as string[][];
  const sent = inlineResult('funnel_by_campaign.csv');
  // As a spreadsheet reads it back: the header, then every row, cells as text (a null is empty, true is 1).
  expect(archived).toEqual([sent.columns, ...sent.rows.map((row) => row.map((cell) => (cell === null ? '' : cell === true ? '1' : String(cell))))]);
}, 60_000);

it('queues a delivery of the execution only for a report with an enabled after_execution subscription', async () => {
  const { Queue } = await import('bullmq');
  const deliveryQueue = new Queue(DELIVERY_QUEUE, { connection: { url: stack.redisUrl }, prefix: stack.env.QUEUE_PREFIX });
  try {
    const { workflowId, reportId } = await createReport('funnel', 'wf_delivery_gate');
    const quiet = await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: inlineResult('funnel_by_campaign.csv') });
    // Nobody to send it to: no job for the export worker to find that out.
    expect(await deliveryQueue.getJob(deliveryExecutionJobId(reportId, quiet.executionId))).toBeUndefined();

    // A paused subscription sends nothing either; an enabled one gets the next execution.
    await db.query(`INSERT INTO report_subscriptions (report_configuration_id, name, channel, recipients, formats, trigger_kind, is_enabled)
                    VALUES ($1, 'paused', 'email', '{client@example.com}', '{csv}', 'after_execution', false)`, [reportId]);
    const paused = await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(2), result: inlineResult('funnel_by_campaign.csv') });
    expect(await deliveryQueue.getJob(deliveryExecutionJobId(reportId, paused.executionId))).toBeUndefined();
    await db.query(`UPDATE report_subscriptions SET is_enabled = true WHERE report_configuration_id = $1`, [reportId]);
    const sent = await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(3), result: inlineResult('funnel_by_campaign.csv') });
    const job = await deliveryQueue.getJob(deliveryExecutionJobId(reportId, sent.executionId));
    expect(job?.data).toEqual({ configurationId: reportId, executionId: sent.executionId });
  } finally {
    await deliveryQueue.close();
  }
}, 60_000);

it('builds an 8-point history from 8 weekly executions, and a replay of a window replaces its point', async () => {
  const { workflowId, reportId } = await createReport('funnel', 'wf_history');
  for (let week = 1; week <= 8; week++) {
    const file = `history/funnel_week_0${week}.csv`;
    await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(week), occurredAt: new Date(Date.UTC(2026, 10, week)).toISOString(), result: inlineResult(file) });
  }
  const history = () => dashboard(reportId).then((board) => view(board, 'funnel.history'));
  const before = await history();
  expect(before.data.rows).toHaveLength(8);
  expect(before.data.history).toHaveLength(8);

  // Week 3 again, later: late attributed conversions change the numbers of the same window.
  const replay = inlineResult('history/funnel_week_03.csv');
  const purchasesIndex = replay.columns.indexOf('purchases');
  for (const row of replay.rows) row[purchasesIndex] = Number(row[purchasesIndex]) + 100;
  await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(3), occurredAt: new Date(Date.UTC(2026, 10, 20)).toISOString(), result: replay });
  const after = await history();
  expect(after.data.rows).toHaveLength(8);
  expect(after.data.history[2].executionId).not.toBe(before.data.history[2].executionId);
  const superseded = await db.query(`SELECT count(*)::int AS n FROM workflow_executions WHERE workflow_id = $1 AND superseded_by IS NOT NULL`, [workflowId]);
  expect(superseded.rows[0].n).toBe(1);

  // Weeks 4-8 computed their insights from the old week 3: besides the re-run's own set, one
  // coalesced regeneration of the report is asked for (not one job per later week), and the ledger
  // records them as waiting for it. No insight worker runs here, so jobs pile up: from the
  // INSIGHT_BATCH_BACKLOG-th waiting job on, an execution's own set joins the pass as well.
  const { Queue } = await import('bullmq');
  const insightQueue = new Queue('insight.generate', { connection: { url: stack.redisUrl }, prefix: stack.env.QUEUE_PREFIX });
  try {
    const jobs = (await insightQueue.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((job) => job.data.configurationId === reportId);
    // One pass for the report: the fresh sets' (which asks for the full pass when it leaves refreshes) absorbs the re-run's request.
    expect(jobs.filter((job) => job.name === 'insight.regenerate').map((job) => job.data)).toEqual([expect.objectContaining({ configurationId: reportId })]);
    const own = jobs.filter((job) => job.name === 'insight.generate').map((job) => job.data.executionId as string);
    // How many got a job of their own depends on what earlier tests left waiting: at most the backlog's size.
    expect(own.length).toBeLessThanOrEqual(INSIGHT_BATCH_BACKLOG);
    const laterWeeks = after.data.history.slice(3).map((point: { executionId: string }) => point.executionId).sort();
    const waiting = (await db.query('SELECT execution_id FROM insight_generations WHERE report_configuration_id = $1 AND job_id = $2 ORDER BY execution_id',
      [reportId, `regen-${reportId}`])).rows.map((row) => row.execution_id as string);
    expect(waiting).toEqual(expect.arrayContaining(laterWeeks));
    expect(waiting).toContain(after.data.history[2].executionId);
    // Every execution's set is asked for: by its own job or from the pass (week 4 by both: its job, then the re-run's history change).
    const executions = (await db.query('SELECT id FROM workflow_executions WHERE workflow_id = $1', [workflowId])).rows.map((row) => row.id as string);
    expect([...new Set([...own, ...waiting])].sort()).toEqual(executions.sort());
  } finally {
    await insightQueue.close();
  }
}, 120_000);

it('downloads a CSV result from an allow-listed host and profiles it', async () => {
  const { workflowId, reportId } = await createReport('performance', 'wf_url');
  await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: { format: 'csv', url: `${downloadUrl}/performance_daily.csv` } });
  const board = await dashboard(reportId);
  expect(board.latestRun).toMatchObject({ status: 'SUCCEEDED', rowCount: 155, error: null });
  expect(board.views.length).toBeGreaterThan(0);
}, 60_000);

it.each([
  ['a host outside the allow-list (no request is made)', () => `http://localhost:${new URL(downloadUrl).port}/performance_daily.csv`, 'RESULT_REFUSED', /not in RESULT_URL_ALLOWLIST/],
  ['an expired pre-signed URL', () => `${downloadUrl}/expired/performance_daily.csv`, 'RESULT_UNAVAILABLE', /answered 403/],
  ['a file:// path that escapes RESULTS_DIR', () => `file://${stack.env.RESULTS_DIR}/../../../etc/passwd`, 'RESULT_REFUSED', /^the file:\/\/ result is outside RESULTS_DIR/],
])('refuses %s and shows why on the dashboard', async (_label, url, code, message) => {
  const { workflowId, reportId } = await createReport('performance', `wf_refuse_${code}_${randomUUID().slice(0, 6)}`);
  const requestsBefore = requestedPaths.length;
  await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: { format: 'csv', url: url() } });
  const board = await dashboard(reportId);
  expect(board.latestRun.error).toMatchObject({ code, message: expect.stringMatching(message) });
  expect(board.views).toEqual([]);
  if (code === 'RESULT_REFUSED') expect(requestedPaths.length).toBe(requestsBefore);
}, 60_000);

it('reads a file:// result inside RESULTS_DIR', async () => {
  const { workflowId, reportId } = await createReport('attribution', 'wf_file');
  fs.copyFileSync(path.join(FIXTURES, 'attribution_models.csv'), path.join(stack.env.RESULTS_DIR!, 'attribution.csv'));
  await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: { format: 'csv', url: `file://${stack.env.RESULTS_DIR}/attribution.csv` } });
  expect((await dashboard(reportId)).latestRun).toMatchObject({ status: 'SUCCEEDED', rowCount: 24, error: null });
}, 60_000);

it('records a FAILED execution with AMC\'s reason as the latest run state, keeping the last good views', async () => {
  const { workflowId, reportId } = await createReport('funnel', 'wf_failed');
  await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: inlineResult('funnel_by_campaign.csv') });
  const failed = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'gateway', 'test', 'fixtures', 'events', 'failed_privacy.json'), 'utf8'));
  // AMC failed week 2 after week 1 succeeded: the sample's own occurredAt (Nov 2) would put it first.
  await deliver(reportId, { ...failed, eventId: randomUUID(), executionId: randomUUID(), instanceId, workflowId, timeWindow: weekWindow(2), occurredAt: new Date().toISOString() });
  const board = await dashboard(reportId);
  expect(board.latestRun).toMatchObject({ status: 'FAILED', error: { code: 'PRIVACY_LIMIT', message: expect.stringMatching(/too many workflows/) } });
  expect(view(board, 'funnel.stages').data.rows).toHaveLength(5);
  // The report list carries the same latest run, so it needs no call per report.
  const listed = (await api.get(`/v1/reports?workflowId=${workflowId}`)).body.items;
  expect(listed).toEqual([expect.objectContaining({ id: reportId, lastRun: board.latestRun, lastInsight: null })]);
}, 60_000);

it('stores a readable reason, not a stack, when the result has no numeric column', async () => {
  const { workflowId, reportId } = await createReport('performance', 'wf_unusable');
  await deliver(reportId, { workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: { format: 'rows', columns: ['campaign', 'note'], rows: [['A', 'x'], ['B', 'y']] } });
  const board = await dashboard(reportId);
  expect(board.latestRun.error.code).toBe('UNUSABLE_RESULT');
  expect(board.latestRun.error.message).toMatch(/numeric/);
  expect(board.latestRun.error.message).not.toMatch(/\bat \w+ \(/);
}, 60_000);

it('processes a job twice into identical rows (at-least-once delivery)', async () => {
  const { workflowId, reportId } = await createReport('funnel', 'wf_twice');
  const executionId = randomUUID();
  await deliver(reportId, { workflowId, executionId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: inlineResult('funnel_by_campaign.csv') });
  const snapshot = async () => (await db.query(
    `SELECT v.view_key, v.processed_data, (SELECT count(*) FROM workflow_executions WHERE workflow_id = $2)::int AS executions
     FROM dashboard_views v WHERE v.report_configuration_id = $1 ORDER BY v.view_key`, [reportId, workflowId])).rows;
  const first = await snapshot();
  const { Queue } = await import('bullmq');
  const queue = new Queue('report.update', { connection: { url: stack.redisUrl }, prefix: stack.env.QUEUE_PREFIX });
  const job = await queue.getJob(`exec-${executionId}`);
  const waiter = await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'dashboard.updated', (e) => e.reportId === reportId);
  await waiter.subscribed;
  await job!.retry('completed');
  await waiter.event;
  await queue.close();
  expect(await snapshot()).toEqual(first);
}, 60_000);

it('answers 404, not 403, for another user\'s report and dashboard', async () => {
  const { reportId } = await createReport('funnel', 'wf_private');
  const other = apiClient(stack.gatewayUrl, await stack.tokenFor(stranger));
  for (const url of [`/v1/reports/${reportId}`, `/v1/reports/${reportId}/dashboard`]) expect((await other.get(url)).status).toBe(404);
  expect((await other.patch(`/v1/reports/${reportId}`, { name: 'mine now' })).status).toBe(404);
  expect((await other.delete(`/v1/reports/${reportId}`)).status).toBe(404);
  expect((await other.get('/v1/reports')).body.items).toEqual([]);
  expect((await api.get(`/v1/reports/${reportId}`)).status).toBe(200);
}, 60_000);
