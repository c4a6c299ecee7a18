/**
 * Hostile but well-signed AMC events through the real gateway and report service. Events the
 * service could never process are refused with a 400 naming the field and leave no trace; events
 * that pass the contract but hold bad data fail on their first attempt (never five), and the
 * execution says why in words without a server path (the path is in the log, with the ids).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Client } from 'pg';
import { reportUpdateJobId } from '@amc-reports/contracts';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';
import { weekWindow } from './amc-results';

let stack: AppStack;
let db: Client;
let queue: Queue;
let queueEvents: QueueEvents;
let api: ReturnType<typeof apiClient>;
const instanceId = 'amcinst-hostile';
/** Every finished report.update job, by id, as QueueEvents reports it (final outcomes only). */
const finished = new Map<string, { state: 'completed' | 'failed'; failedReason?: string }>();
const waiters = new Map<string, () => void>();

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service']);
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  const connection = { url: stack.redisUrl };
  queue = new Queue('report.update', { connection, prefix: stack.env.QUEUE_PREFIX });
  queueEvents = new QueueEvents('report.update', { connection, prefix: stack.env.QUEUE_PREFIX });
  const settle = (jobId: string, outcome: { state: 'completed' | 'failed'; failedReason?: string }) => {
    finished.set(jobId, outcome);
    waiters.get(jobId)?.();
  };
  queueEvents.on('completed', ({ jobId }) => settle(jobId, { state: 'completed' }));
  queueEvents.on('failed', ({ jobId, failedReason }) => settle(jobId, { state: 'failed', failedReason }));
  await queueEvents.waitUntilReady();
  api = await stack.memberApi({ instanceIds: [instanceId], email: 'hostile@example.com' });
}, 120_000);

afterAll(async () => {
  await queueEvents?.close();
  await queue?.close();
  await db?.end();
  await stack?.stop();
});

function settledJob(jobId: string): Promise<{ state: 'completed' | 'failed'; failedReason?: string }> {
  return new Promise((resolve) => {
    const done = () => resolve(finished.get(jobId)!);
    if (finished.has(jobId)) done();
    else waiters.set(jobId, done);
  });
}

async function reportingWorkflow(): Promise<{ workflowId: string; reportId: string }> {
  const workflow = await api.post('/v1/workflows', { name: 'hostile', sqlQuery: 'SELECT 1', amcInstanceId: instanceId, amcWorkflowId: `wf-${randomUUID()}` });
  const enabled = await api.patch(`/v1/workflows/${workflow.body.id}`, { reportEnabled: true });
  expect(enabled.status).toBe(200);
  return { workflowId: workflow.body.id, reportId: enabled.body.reportConfigId };
}

function eventFor(workflowId: string, patch: Record<string, unknown>): Record<string, unknown> {
  return {
    eventId: randomUUID(), executionId: `exec-${randomUUID()}`, instanceId, workflowId, status: 'SUCCEEDED', timeWindow: weekWindow(1),
    result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['A', 10], ['B', 20]] }, ...patch,
  };
}

/**
 * Posts the event and waits for its report.update job's final outcome and for the report's
 * dashboard.updated (sent once the execution row holds the outcome, failed or not).
 */
async function processEvent(workflowId: string, reportId: string, patch: Record<string, unknown>) {
  const event = eventFor(workflowId, patch);
  const jobId = reportUpdateJobId(event.executionId as string);
  const outcome = settledJob(jobId);
  const announced = await waitForBusEvent<{ reportId: string; executionId: string }>(stack.redisUrl, 'dashboard.updated', (e) => e.reportId === reportId);
  await announced.subscribed;
  expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event)).status).toBe(202);
  const { state, failedReason } = await outcome;
  await announced.event;
  const job = (await queue.getJob(jobId))!;
  const execution = (await db.query('SELECT id, error_code, error FROM workflow_executions WHERE amc_execution_id = $1', [event.executionId])).rows[0];
  return { state, failedReason, attemptsMade: job.attemptsMade, execution, executionId: event.executionId as string };
}

function resultFile(name: string, content: string): string {
  fs.writeFileSync(path.join(stack.env.RESULTS_DIR!, name), content);
  return `file://${stack.env.RESULTS_DIR}/${name}`;
}

/** No absolute path of this machine, and none of the directories the test stack uses. */
function expectNoServerPath(message: string): void {
  expect(message).not.toContain(stack.dataDir);
  expect(message).not.toMatch(/(^|[\s'"(])\/[\w.-]+\/[\w./-]*/);
}

describe('refused at ingestion: 400 naming the field, nothing stored, nothing queued', () => {
  it.each([
    ['a year-0 window', { timeWindow: { start: '0000-01-01T00:00:00Z', end: '0000-01-08T00:00:00Z' } }, 'timeWindow.start'],
    ['a window ending in year 10000 (UTC)', { timeWindow: { start: '2026-09-07T00:00:00Z', end: '9999-12-31T23:59:59-14:00' } }, 'timeWindow.end'],
    ['a year-0 occurredAt', { occurredAt: '0000-06-01T00:00:00Z' }, 'occurredAt'],
    ['a time zone that is not an IANA name', { timeWindow: { ...weekWindow(1), timeZone: 'Not/AZone' } }, 'timeWindow.timeZone'],
    ['a file:// URL with a host', { result: { format: 'csv', url: 'file://evil/etc/passwd' } }, 'result.url'],
    ['duplicate inline columns', { result: { format: 'rows', columns: ['campaign', 'campaign', 'impressions'], rows: [['A', 'B', 1]] } }, 'result.columns.1'],
    ['a blank inline column', { result: { format: 'rows', columns: [' ', 'impressions'], rows: [['A', 1]] } }, 'result.columns.0'],
    ['a NUL in a cell', { result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['A\u0000', 1]] } }, 'result.rows.0.0'],
    ['a lone surrogate in a cell', { result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['A\ud800', 1]] } }, 'result.rows.0.0'],
  ])('%s', async (_label, patch, field) => {
    const { workflowId } = await reportingWorkflow();
    const event = eventFor(workflowId, patch);
    const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event);
    expect(response.status).toBe(400);
    expect(response.body.issues).toContainEqual({ field, message: expect.any(String) });
    expect(response.body.message).toContain(`${field}: `);
    const stored = await db.query('SELECT count(*)::int AS n FROM amc_execution_events WHERE event_id = $1', [event.eventId]);
    expect(stored.rows[0].n).toBe(0);
    expect(await queue.getJob(reportUpdateJobId(event.executionId as string))).toBeUndefined();
  });
});

describe('accepted, then failed on the first attempt with a readable reason', () => {
  it.each([
    ['a NUL in a downloaded cell', 'campaign,impressions\nA\u0000B,10\nC,5\n'],
    ['a NUL in a downloaded column name', 'camp\u0000aign,impressions\nA,10\n'],
  ])('%s: Postgres cannot store it (22P05), so the job fails at once as INVALID_DATA', async (_label, csv) => {
    const { workflowId, reportId } = await reportingWorkflow();
    const outcome = await processEvent(workflowId, reportId, { result: { format: 'csv', url: resultFile(`${randomUUID()}.csv`, csv) } });
    expect(outcome).toMatchObject({ state: 'failed', attemptsMade: 1, failedReason: expect.stringMatching(/^INVALID_DATA: /) });
    expect(outcome.execution).toMatchObject({ error_code: 'INVALID_DATA', error: expect.stringMatching(/cannot store .*NUL.*\(SQLSTATE 22P05\)/) });
    expectNoServerPath(outcome.execution.error);
    const board = (await api.get(`/v1/reports/${reportId}/dashboard`)).body;
    expect(board.latestRun.error).toEqual({ code: 'INVALID_DATA', message: outcome.execution.error });
  });

  it('a downloaded CSV with a duplicate header: recorded as unusable on the first attempt, not an abort retried five times', async () => {
    const { workflowId, reportId } = await reportingWorkflow();
    const outcome = await processEvent(workflowId, reportId, { result: { format: 'csv', url: resultFile('dup.csv', 'campaign,campaign,impressions\nA,B,10\n') } });
    expect(outcome).toMatchObject({ state: 'completed', attemptsMade: 1 });
    expect(outcome.execution).toMatchObject({ error_code: 'UNUSABLE_RESULT', error: 'column "campaign" appears twice in the header row' });
  });

  it('an event stored before today\'s rules (a year-0 window): fails at once as INVALID_EVENT, naming the field', async () => {
    const { workflowId } = await reportingWorkflow();
    const event = eventFor(workflowId, { timeWindow: { start: '0000-01-01T00:00:00Z', end: '0000-01-08T00:00:00Z' } });
    const jobId = reportUpdateJobId(event.executionId as string);
    const outcome = settledJob(jobId);
    // As the gateway wrote accepted events before the rule: the outbox relay queues it.
    await db.query(
      `INSERT INTO amc_execution_events (event_id, amc_instance_id, amc_execution_id, status, workflow_id, payload) VALUES ($1, $2, $3, 'SUCCEEDED', $4, $5)`,
      [event.eventId, instanceId, event.executionId, workflowId, JSON.stringify(event)],
    );
    expect(await outcome).toEqual({ state: 'failed', failedReason: expect.stringMatching(/^INVALID_EVENT: the event cannot be processed: timeWindow\.start: must lie between/) });
    expect((await queue.getJob(jobId))!.attemptsMade).toBe(1);
  });
});

describe('execution errors never show server paths (paths go to the log)', () => {
  it.each([
    ['outside RESULTS_DIR', () => `file://${stack.env.RESULTS_DIR}/../../../etc/passwd`, 'RESULT_REFUSED', 'the file:// result is outside RESULTS_DIR, the results directory'],
    ['missing', () => `file://${stack.env.RESULTS_DIR}/no-such-result.csv`, 'RESULT_UNAVAILABLE', 'the result file does not exist'],
    ['a directory', () => {
      fs.mkdirSync(path.join(stack.env.RESULTS_DIR!, 'a-directory'), { recursive: true });
      return `file://${stack.env.RESULTS_DIR}/a-directory`;
    }, 'RESULT_UNAVAILABLE', 'the file:// result is not a regular file'],
  ])('a file:// result %s', async (_label, url, code, message) => {
    const { workflowId, reportId } = await reportingWorkflow();
    const resultUrl = url();
    const outcome = await processEvent(workflowId, reportId, { result: { format: 'csv', url: resultUrl } });
    expect(outcome).toMatchObject({ state: 'completed', attemptsMade: 1, execution: { error_code: code, error: message } });
    expectNoServerPath(outcome.execution.error);
    expect((await api.get(`/v1/reports/${reportId}/dashboard`)).body.latestRun.error).toEqual({ code, message });
    // The operator still finds where: the report service logged the path with the execution id.
    const logged = stack.apps.get('report-service')!.output().split('\n').filter((line) => line.includes(outcome.execution.id) && line.includes('result not used'));
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0])).toMatchObject({ executionId: outcome.execution.id, code, path: path.resolve(new URL(resultUrl).pathname) });
  });
});
