import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import {
  DELIVERY_QUEUE, DELIVERY_SEND_JOB, deliverySendJobId, INSIGHT_GENERATE_JOB, INSIGHT_GENERATE_JOB_OPTIONS, INSIGHT_GENERATE_QUEUE, insightGenerateJobId, REPORT_UPDATE_JOB, REPORT_UPDATE_JOB_OPTIONS,
  REPORT_UPDATE_QUEUE, reportUpdateJobId,
} from '@amc-reports/contracts';
import { createPrismaClient, Prisma, type PrismaClient } from '@amc-reports/db';
import { producerConnectionOptions } from '@amc-reports/queue';
import { createTestDatabase, requireTestEnv, seedOrganization, uniqueQueuePrefix, type TestDatabase } from '@amc-reports/testing';
import { redriveFailedJobs, redriveOnResend } from './failed-work';
import { DeliveryLedger } from './delivery-ledger';
import { EventLedger, InsightLedger } from './ledgers';
import { requestInsightGenerations } from './processing-ledger';
import { RedriveSweeper } from './redrive-sweeper';

const redisUrl = requireTestEnv('redisUrl');
const prefix = uniqueQueuePrefix('redrive');
const MINUTE = 60_000;
let database: TestDatabase;
let prisma: PrismaClient;
let reportQueue: Queue;
let insightQueue: Queue;
let workflowId: string;
let configurationId: string;
let sweeper: RedriveSweeper;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  reportQueue = new Queue(REPORT_UPDATE_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
  insightQueue = new Queue(INSIGHT_GENERATE_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
  const { organizationId } = await seedOrganization(prisma, { instanceIds: ['inst1'] });
  workflowId = (await prisma.workflow.create({ data: { organizationId, name: 'w', sqlQuery: 'SELECT 1', amcInstanceId: 'inst1' } })).id;
  configurationId = (await prisma.reportConfiguration.create({ data: { workflowId, dashboardType: 'performance' } })).id;
  sweeper = new RedriveSweeper([new EventLedger(prisma), new InsightLedger(prisma)],
    new Map([[REPORT_UPDATE_QUEUE, reportQueue], [INSIGHT_GENERATE_QUEUE, insightQueue]]), { staleAfterMs: MINUTE, batchSize: 100, maxRedrives: 2 });
});

afterAll(async () => {
  for (const queue of [reportQueue, insightQueue]) {
    await queue?.obliterate({ force: true });
    await queue?.close();
  }
  await prisma?.$disconnect();
  await database?.drop();
});

/** An accepted, relayed event received `ageMs` ago, with its ledger columns as given. */
async function event(ageMs: number, ledger: Partial<{ processed: boolean; failed: 'transient' | 'own'; redriveCount: number }> = {}) {
  const executionId = randomUUID();
  const receivedAt = new Date(Date.now() - ageMs);
  const row = await prisma.amcExecutionEvent.create({
    data: {
      eventId: randomUUID(), amcInstanceId: 'inst1', amcExecutionId: executionId, status: 'SUCCEEDED', workflowId, payload: {},
      receivedAt, enqueuedAt: receivedAt, processedAt: ledger.processed ? receivedAt : null,
      failedAt: ledger.failed ? receivedAt : null, failureReason: ledger.failed ? 'boom' : null,
      failureTransient: ledger.failed ? ledger.failed === 'transient' : null, redriveCount: ledger.redriveCount ?? 0,
    },
  });
  return { rowId: row.id, executionId, jobId: reportUpdateJobId(executionId) };
}

async function failJob(queue: Queue, name: string, data: object, jobId: string, reason: string): Promise<void> {
  const job = await queue.add(name, data, { jobId, attempts: 1 });
  // A job moved to failed the way a worker does, with the reason BullMQ would record.
  const token = 'test-token';
  const { Worker } = await import('bullmq');
  const worker = new Worker(queue.name, null, { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix, autorun: false });
  const active = await worker.getNextJob(token);
  expect(active?.id).toBe(job.id);
  await active!.moveToFailed(new Error(reason), token);
  await worker.close();
}

const ledgerRow = (id: string) => prisma.amcExecutionEvent.findUniqueOrThrow({ where: { id } });

it('re-adds a lost report.update job, leaves a queued one and a fresh one alone, and looks at each once per interval', async () => {
  const lost = await event(5 * MINUTE);
  const waiting = await event(5 * MINUTE);
  await reportQueue.add(REPORT_UPDATE_JOB, { eventRowId: waiting.rowId }, { ...REPORT_UPDATE_JOB_OPTIONS, jobId: waiting.jobId });
  const fresh = await event(10_000);

  const [events] = await sweeper.run();
  expect(events).toMatchObject({ queue: REPORT_UPDATE_QUEUE, checked: 2, requeued: 1, retried: 0, gaveUp: 0 });
  expect(await reportQueue.getJobState(lost.jobId)).toBe('waiting');
  expect((await reportQueue.getJob(lost.jobId))?.data).toEqual({ eventRowId: lost.rowId });
  expect(await ledgerRow(lost.rowId)).toMatchObject({ redriveCount: 1, processedAt: null });
  expect(await ledgerRow(waiting.rowId)).toMatchObject({ redriveCount: 0, sweptAt: expect.any(Date) });
  expect(await reportQueue.getJobState(fresh.jobId)).toBe('unknown');

  // Looked at: neither is looked at again before REDRIVE_AFTER_MS has passed.
  const [again] = await sweeper.run();
  expect(again.checked).toBe(0);
  await reportQueue.obliterate({ force: true });
});

it('re-drives a job failed by a dead process (stalled), but records one failed for its own reason without re-driving it', async () => {
  const stalled = await event(5 * MINUTE);
  await failJob(reportQueue, REPORT_UPDATE_JOB, { eventRowId: stalled.rowId }, stalled.jobId, 'job stalled more than allowable limit');
  const own = await event(5 * MINUTE);
  await failJob(reportQueue, REPORT_UPDATE_JOB, { eventRowId: own.rowId }, own.jobId, 'the result host answered 500 five times');

  const [events] = await sweeper.run();
  expect(events).toMatchObject({ checked: 2, retried: 1, requeued: 0, gaveUp: 1 });
  const retried = await reportQueue.getJob(stalled.jobId);
  expect([await retried?.getState(), retried?.attemptsMade]).toEqual(['waiting', 0]);
  expect(await ledgerRow(stalled.rowId)).toMatchObject({ redriveCount: 1, failedAt: null });
  expect(await ledgerRow(own.rowId)).toMatchObject({ failureTransient: false, failureReason: 'the result host answered 500 five times', failedAt: expect.any(Date) });
  expect(await reportQueue.getJobState(own.jobId)).toBe('failed');
  await reportQueue.obliterate({ force: true });
});

it('gives up on an event re-driven too often, with the reason, so a poison job ends', async () => {
  const poison = await event(5 * MINUTE, { redriveCount: 2 });
  await failJob(reportQueue, REPORT_UPDATE_JOB, { eventRowId: poison.rowId }, poison.jobId, 'job stalled more than allowable limit');
  const [events] = await sweeper.run();
  expect(events).toMatchObject({ checked: 1, retried: 0, gaveUp: 1 });
  expect(await ledgerRow(poison.rowId)).toMatchObject({
    failureTransient: false, failureReason: 'gave up after 2 re-drives: job stalled more than allowable limit',
  });
  await reportQueue.obliterate({ force: true });
});

it('re-adds a lost insight generation and settles one whose job completed', async () => {
  const executions = await Promise.all([1, 2].map(async (n) => (await prisma.workflowExecution.create({
    data: {
      workflowId, amcInstanceId: 'inst1', amcExecutionId: `insight-${n}-${randomUUID()}`, status: 'SUCCEEDED',
      timeWindowStart: new Date('2026-01-01'), timeWindowEnd: new Date('2026-01-07'),
    },
  })).id));
  await requestInsightGenerations(prisma, configurationId, executions.map((executionId) => ({ executionId, jobId: insightGenerateJobId(configurationId, executionId) })));
  await prisma.$executeRaw`UPDATE insight_generations SET requested_at = now() - interval '5 minutes'`;
  const [lostId, doneId] = executions;
  const done = await insightQueue.add(INSIGHT_GENERATE_JOB, { configurationId, executionId: doneId }, { ...INSIGHT_GENERATE_JOB_OPTIONS, jobId: insightGenerateJobId(configurationId, doneId) });
  const { Worker } = await import('bullmq');
  const worker = new Worker(INSIGHT_GENERATE_QUEUE, null, { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix, autorun: false });
  const active = await worker.getNextJob('t');
  await active!.moveToCompleted('ok', 't', false);
  await worker.close();
  expect(await done.getState()).toBe('completed');

  const [, insights] = await sweeper.run();
  expect(insights).toMatchObject({ queue: INSIGHT_GENERATE_QUEUE, checked: 2, requeued: 1, finished: 1 });
  expect(await insightQueue.getJobState(insightGenerateJobId(configurationId, lostId))).toBe('waiting');
  const rows = await prisma.insightGeneration.findMany({ orderBy: { executionId: 'asc' } });
  expect(Object.fromEntries(rows.map((row) => [row.executionId, [row.status, row.redriveCount]]))).toEqual({ [lostId]: ['queued', 1], [doneId]: ['completed', 0] });
  await insightQueue.obliterate({ force: true });
});

it('a re-sent event re-drives an execution whose processing failed, and stays a duplicate for a completed one', async () => {
  const queues = new Map([[REPORT_UPDATE_QUEUE, reportQueue], [INSIGHT_GENERATE_QUEUE, insightQueue]]);
  const failed = await event(MINUTE, { failed: 'own' });
  await failJob(reportQueue, REPORT_UPDATE_JOB, { eventRowId: failed.rowId }, failed.jobId, 'no such table');
  const completed = await event(MINUTE, { processed: true });
  const underWay = await event(MINUTE);

  expect(await redriveOnResend(prisma, queues, 'inst1', failed.executionId)).toBe('redriven');
  expect([await reportQueue.getJobState(failed.jobId), (await ledgerRow(failed.rowId)).failedAt]).toEqual(['waiting', null]);
  expect(await redriveOnResend(prisma, queues, 'inst1', completed.executionId)).toBe('duplicate');
  expect(await redriveOnResend(prisma, queues, 'inst1', underWay.executionId)).toBe('duplicate');
  expect(await reportQueue.getJobState(completed.jobId)).toBe('unknown');
  await reportQueue.obliterate({ force: true });
});

it('jobs redrive runs the failed jobs an operator picks, transient or not', async () => {
  const own = await event(MINUTE, { failed: 'own' });
  await failJob(reportQueue, REPORT_UPDATE_JOB, { eventRowId: own.rowId }, own.jobId, 'a bug, since fixed');
  const redriven = await redriveFailedJobs(prisma, [reportQueue, insightQueue], { jobIds: [own.jobId] });
  expect(redriven.map((job) => [job.queue, job.jobId, job.transient])).toEqual([[REPORT_UPDATE_QUEUE, own.jobId, false]]);
  expect(await reportQueue.getJobState(own.jobId)).toBe('waiting');
  expect(await ledgerRow(own.rowId)).toMatchObject({ failedAt: null, redriveCount: 1 });
  await reportQueue.obliterate({ force: true });
});

it('re-adds a lost delivery send, re-drives one failed by a dead process, and records one failed for its own reason', async () => {
  const deliveryQueue = new Queue(DELIVERY_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
  const deliveries = new RedriveSweeper([new DeliveryLedger(prisma)], new Map([[DELIVERY_QUEUE, deliveryQueue]]), { staleAfterMs: MINUTE, batchSize: 100, maxRedrives: 2 });
  try {
    const [{ id: subscriptionId }] = await prisma.$queryRaw<Array<{ id: string }>>`
      INSERT INTO report_subscriptions (report_configuration_id, name, channel, recipients, formats, trigger_kind)
      VALUES (${configurationId}::uuid, 'weekly', 'email', ARRAY['a@example.com'], ARRAY['pdf'], 'after_execution') RETURNING id`;
    const delivery = async (key: string, status: 'pending' | 'sending' | 'sent') => (await prisma.$queryRaw<Array<{ id: string }>>`
      INSERT INTO deliveries (subscription_id, report_configuration_id, trigger_kind, trigger_key, channel, recipient, status, sent_at, created_at)
      VALUES (${subscriptionId}::uuid, ${configurationId}::uuid, 'manual', ${key}, 'email', 'a@example.com', ${status},
              ${status === 'sent' ? new Date() : null}, now() - interval '5 minutes') RETURNING id`)[0].id;
    const lost = await delivery('manual-lost', 'pending');
    const stalled = await delivery('manual-stalled', 'sending');
    await failJob(deliveryQueue, DELIVERY_SEND_JOB, { deliveryId: stalled }, deliverySendJobId(stalled), 'job stalled more than allowable limit');
    const own = await delivery('manual-own', 'sending');
    await failJob(deliveryQueue, DELIVERY_SEND_JOB, { deliveryId: own }, deliverySendJobId(own), 'a bug in the composer');
    await delivery('manual-sent', 'sent');

    const [sweep] = await deliveries.run();
    expect(sweep).toMatchObject({ queue: DELIVERY_QUEUE, checked: 3, requeued: 1, retried: 1, gaveUp: 1 });
    expect(await deliveryQueue.getJobState(deliverySendJobId(lost))).toBe('waiting');
    expect((await deliveryQueue.getJob(deliverySendJobId(lost)))?.data).toEqual({ deliveryId: lost });
    expect(await deliveryQueue.getJobState(deliverySendJobId(stalled))).toBe('waiting');
    const rows = await prisma.delivery.findMany({ where: { subscriptionId }, orderBy: { triggerKey: 'asc' } });
    expect(rows.map((row) => [row.triggerKey, row.status, row.redriveCount, row.error])).toEqual([
      ['manual-lost', 'pending', 1, null], ['manual-own', 'failed', 0, 'a bug in the composer'],
      ['manual-sent', 'sent', 0, null], ['manual-stalled', 'sending', 1, null],
    ]);
    const [again] = await deliveries.run();
    expect(again.checked).toBe(0);
  } finally {
    await deliveryQueue.obliterate({ force: true });
    await deliveryQueue.close();
  }
});

it('finds the unfinished through the partial indexes, not by scanning every finished row', async () => {
  await prisma.$executeRaw`
    INSERT INTO amc_execution_events (event_id, amc_instance_id, amc_execution_id, status, workflow_id, payload, received_at, enqueued_at, processed_at)
    SELECT 'bulk-' || g, 'inst1', 'bulk-' || g, 'SUCCEEDED', ${workflowId}::uuid, '{}', now() - interval '1 day', now() - interval '1 day', now()
    FROM generate_series(1, 20000) g`;
  await prisma.$executeRaw`ANALYZE amc_execution_events`;
  await prisma.$executeRaw`ANALYZE insight_generations`;
  const plan = async (query: Prisma.Sql, seqscan = true) => {
    const [, rows] = await prisma.$transaction([
      prisma.$executeRawUnsafe(`SET LOCAL enable_seqscan = ${seqscan ? 'on' : 'off'}`),
      prisma.$queryRaw<Array<{ 'QUERY PLAN': string }>>(Prisma.sql`EXPLAIN ${query}`),
    ]);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  };
  expect(await plan(EventLedger.unfinishedQuery(new Date(), 500))).toMatch(/amc_execution_events_unfinished_idx/);
  // Two rows: a scan is cheaper, so only ask whether the index can serve the query at all.
  expect(await plan(InsightLedger.unfinishedQuery(new Date(), 500), false)).toMatch(/insight_generations_unfinished_idx/);
  expect(await plan(DeliveryLedger.unfinishedQuery(new Date(), 500), false)).toMatch(/deliveries_unfinished_idx/);
});
