import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, QueueEvents } from 'bullmq';
import pino from 'pino';
import { unzipSync } from 'fflate';
import { ExportWorkerEnv } from '@amc-reports/config';
import {
  DELIVERY_EXECUTION_JOB, DELIVERY_QUEUE, DELIVERY_SEND_JOB, deliveryExecutionJobId, deliverySendJobId, insightRegenerationKey, subscriptionSchedule,
  verifyAmcSignature, type Condition,
} from '@amc-reports/contracts';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { producerConnectionOptions, workerConnectionOptions } from '@amc-reports/queue';
import { DependencyGate, withWorkerRuntime } from '@amc-reports/runtime';
import {
  createTestDatabase, requireTestEnv, startLocalHttpReceiver, startLocalSmtpServer, uniqueQueuePrefix, until, type LocalHttpReceiver,
  type LocalSmtpServer, type TestDatabase,
} from '@amc-reports/testing';
import { seedReport, type SeededReport } from '../../test/seed-export';
import { ExportWorkerModule } from '../app.module';
import { ExportRenderProcessor } from '../export-render.processor';
import { DeliveryProcessor } from './delivery.processor';
import { WEBHOOK_SIGNATURE_HEADER } from './channels/webhook-channel';

/**
 * The delivery module in-process (the whole export worker: its renders make the attachments)
 * against real Postgres, Redis, a real SMTP server and real HTTP receivers on 127.0.0.1.
 */
const redisUrl = requireTestEnv('redisUrl');
const prefix = uniqueQueuePrefix('delivery');
const ATTACHMENT_LIMIT = 20 * 1024;
const ARTIFACTS = path.join(__dirname, '..', '..', '..', '..', 'artifacts', 'delivery');
let database: TestDatabase;
let prisma: PrismaClient;
let app: INestApplicationContext;
let smtp: LocalSmtpServer;
let slack: LocalHttpReceiver;
let webhook: LocalHttpReceiver;
let queue: Queue;
let events: QueueEvents;
let dir: string;
let report: SeededReport;

beforeAll(async () => {
  Logger.overrideLogger(false);
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  [smtp, slack, webhook] = await Promise.all([startLocalSmtpServer(), startLocalHttpReceiver(), startLocalHttpReceiver()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'delivery-'));
  const config = ExportWorkerEnv.parse({
    DATABASE_URL: database.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, DB_POOL_SIZE: '4',
    EXPORT_DIR: path.join(dir, 'exports'), STORAGE_DIR: path.join(dir, 'storage'), EXPORT_TEMP_DIR: dir,
    SMTP_URL: smtp.url, MAIL_FROM: 'AMC Reports <reports@amc.test>', PUBLIC_URL: 'http://reports.test',
    OUTBOUND_ALLOWLIST: `${slack.host},${webhook.host}`, SLACK_WEBHOOK_HOSTS: slack.host,
    DELIVERY_RETRY_BASE_MS: '100', DELIVERY_ATTACHMENT_MAX_BYTES: String(ATTACHMENT_LIMIT),
  });
  const gate = new DependencyGate({ databaseUrl: database.url, redisUrl, logger: pino({ level: 'silent' }) });
  app = await NestFactory.createApplicationContext(withWorkerRuntime(ExportWorkerModule.register(config), gate), { logger: false });
  await app.init();
  queue = new Queue(DELIVERY_QUEUE, { connection: producerConnectionOptions(redisUrl), prefix });
  events = new QueueEvents(DELIVERY_QUEUE, { connection: workerConnectionOptions(redisUrl), prefix });
  await events.waitUntilReady();
  report = await seedReport(prisma);
  // The insight a "purchases anomaly" alert looks for: an anomaly finding about purchases.
  await prisma.dashboardInsight.create({
    data: {
      dashboardViewId: report.viewIds.get('insights')!, executionId: report.executionId, findingId: 'anomaly.purchases', insightType: 'anomaly',
      insightText: 'Purchases fell to 412, far below the usual 1,020 (robust z −4.1).', confidenceScore: '0.81', aiModel: 'statistical', promptVersion: 'test',
      sourceData: { finding: { metric: 'purchases', metricLabel: 'purchases' } },
    },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await events?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  await Promise.all([smtp?.close(), slack?.close(), webhook?.close()]);
  await prisma?.$disconnect();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface SubscriptionSeed {
  channel?: 'email' | 'slack' | 'webhook';
  recipients?: string[];
  url?: string;
  formats?: string[];
  conditions?: Condition[];
  cron?: string;
  secret?: string;
}

async function subscribe(seed: SubscriptionSeed, target: SeededReport = report): Promise<string> {
  const channel = seed.channel ?? 'email';
  const row = await prisma.reportSubscription.create({
    data: {
      reportConfigurationId: target.reportId, name: `test ${randomUUID().slice(0, 6)}`, channel,
      recipients: channel === 'email' ? seed.recipients ?? [`${randomUUID().slice(0, 8)}@client.test`] : [],
      targetUrl: channel === 'email' ? null : seed.url!, formats: seed.formats ?? ['link'],
      triggerKind: seed.cron ? 'schedule' : 'after_execution', cron: seed.cron ?? null, timeZone: seed.cron ? 'Europe/Berlin' : null,
      conditions: (seed.conditions ?? []) as object[],
    },
  });
  if (channel !== 'email') await prisma.subscriptionSecret.create({ data: { subscriptionId: row.id, secret: seed.secret ?? seed.url! } });
  return row.id;
}

const delivery = (subscriptionId: string) => prisma.delivery.findFirstOrThrow({ where: { subscriptionId }, orderBy: { createdAt: 'desc' } });

/** Runs the execution's fan-out and waits until every send it queued has finished (sent, skipped or failed). */
async function deliverExecution(target: SeededReport = report): Promise<void> {
  const fanOut = await queue.add(DELIVERY_EXECUTION_JOB, { configurationId: target.reportId, executionId: target.executionId }, {
    jobId: `${deliveryExecutionJobId(target.reportId, target.executionId)}-${randomUUID()}`,
  });
  await fanOut.waitUntilFinished(events, 60_000);
  const rows = await prisma.delivery.findMany({ where: { reportConfigurationId: target.reportId, executionId: target.executionId } });
  for (const row of rows) await finishSend(row.id);
}

async function finishSend(deliveryId: string): Promise<void> {
  const job = await queue.getJob(deliverySendJobId(deliveryId));
  await job?.waitUntilFinished(events, 60_000).catch(() => undefined);
}

/** A delivery row of its own trigger (as a tick or "send now" makes them), and its send. */
async function sendAs(subscriptionId: string, triggerKind: 'schedule' | 'manual' = 'schedule'): Promise<string> {
  const subscription = await prisma.reportSubscription.findUniqueOrThrow({ where: { id: subscriptionId } });
  const row = await prisma.delivery.create({
    data: {
      subscriptionId, reportConfigurationId: subscription.reportConfigurationId, triggerKind, triggerKey: `${triggerKind}-${randomUUID()}`,
      executionId: report.executionId, channel: subscription.channel, recipient: subscription.recipients.join(', ') || subscription.channel,
    },
  });
  await queue.add(DELIVERY_SEND_JOB, { deliveryId: row.id }, { attempts: 6, backoff: { type: 'delivery' }, jobId: deliverySendJobId(row.id) });
  await finishSend(row.id);
  return row.id;
}

it('gives the render and delivery workers connections that wait for Redis, whatever delivery adds render jobs through', () => {
  // Delivery's own render producer once shared export.render's name with the worker's queue and
  // handed the render worker fail-fast options: no offline queue, one retry per command.
  for (const processor of [app.get(ExportRenderProcessor), app.get(DeliveryProcessor)]) {
    expect(processor.worker.opts.connection).toMatchObject({ maxRetriesPerRequest: null });
    expect(processor.worker.opts.connection).not.toHaveProperty('enableOfflineQueue', false);
  }
});

describe('after an execution', () => {
  it('mails the dashboard with its CSV attached and the PDF behind a download link once the pair would exceed the attachment limit', async () => {
    const to = 'client-team@client.test';
    const subscriptionId = await subscribe({ recipients: [to], formats: ['pdf', 'csv'] });
    await deliverExecution();
    const row = await delivery(subscriptionId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, triggerKind: 'after_execution', triggerKey: `exec-${report.executionId}`, recipient: to });
    const files = row.files as { format: string; as: string; sizeBytes: number }[];
    const pdf = files.find((file) => file.format === 'pdf')!;
    const csv = files.find((file) => file.format === 'csv')!;
    expect(csv).toMatchObject({ as: 'attachment' });
    expect(csv.sizeBytes).toBeLessThan(ATTACHMENT_LIMIT);
    expect(pdf.sizeBytes + csv.sizeBytes).toBeGreaterThan(ATTACHMENT_LIMIT);
    expect(pdf).toMatchObject({ as: 'link' });

    const [mail] = await smtp.waitForMessages(1, { to });
    const parsed = await mail.parse();
    expect(parsed.subject).toBe(`${report.document.report.name} — 2025-10-27 – 2025-11-09`);
    expect(parsed.messageId).toBe(`<${row.id}@amc-reports>`);
    // The dashboard's CSV is a ZIP of one CSV per view (issue 14), attached as such.
    expect(parsed.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([[expect.stringMatching(/\.zip$/), 'application/zip']]);
    const zipped = unzipSync(parsed.attachments[0].content);
    expect(Object.keys(zipped)).toEqual(expect.arrayContaining(['README.txt', 'manifest.json']));
    expect(Object.entries(zipped).some(([name, bytes]) => name.endsWith('.csv') && Buffer.from(bytes).toString('utf8').includes('ROAS'))).toBe(true);
    expect(parsed.html).toContain('Key numbers');
    expect(parsed.html).toContain('3.41');
    const link = /http:\/\/reports\.test\/v1\/download-links\/([A-Za-z0-9_-]{43})/.exec(parsed.text ?? '');
    expect(link).not.toBeNull();
    const stored = await prisma.downloadLink.findUniqueOrThrow({ where: { tokenSha256: createHash('sha256').update(link![1]).digest('hex') } });
    expect(stored.deliveryId).toBe(row.id);
    // Kept for a person to read (artifacts/ is not committed).
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.writeFileSync(path.join(ARTIFACTS, 'after-execution.eml'), mail.raw);
    fs.writeFileSync(path.join(ARTIFACTS, 'after-execution.html'), String(parsed.html));
  });

  it('waits for insights its report\'s pass computes (no insight.generate of their own) by the ledger, then delivers', async () => {
    const target = await seedReport(prisma);
    const subscriptionId = await subscribe({ formats: ['link'] }, target);
    // As while the set is held in the report's pass during a replay: queued in the ledger, no job of its own.
    await prisma.insightGeneration.create({ data: { reportConfigurationId: target.reportId, executionId: target.executionId, jobId: insightRegenerationKey(target.reportId) } });
    const fanOut = await queue.add(DELIVERY_EXECUTION_JOB, { configurationId: target.reportId, executionId: target.executionId }, {
      jobId: `${deliveryExecutionJobId(target.reportId, target.executionId)}-${randomUUID()}`,
    });
    await until('the fan-out to wait for the insights', async () => (await fanOut.getState()) === 'delayed', 20_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Still waiting a second later: delayed between its checks, or active in one (every 100 ms at
    // first), never finished and without a delivery.
    expect(['delayed', 'active']).toContain(await fanOut.getState());
    expect(await prisma.delivery.count({ where: { subscriptionId } })).toBe(0);

    await prisma.insightGeneration.update({
      where: { reportConfigurationId_executionId: { reportConfigurationId: target.reportId, executionId: target.executionId } }, data: { status: 'completed' },
    });
    await fanOut.waitUntilFinished(events, 60_000);
    await finishSend((await delivery(subscriptionId)).id);
    expect((await delivery(subscriptionId)).status).toBe('sent');
  }, 90_000);

  it('does nothing twice when the fan-out and the send are redelivered', async () => {
    const to = 'once@client.test';
    const subscriptionId = await subscribe({ recipients: [to], formats: ['csv'] });
    await deliverExecution();
    const first = await delivery(subscriptionId);
    expect(first.status).toBe('sent');
    // The same fan-out again (a job run twice) and the same send under another job id (a redelivery).
    await deliverExecution();
    const again = await queue.add(DELIVERY_SEND_JOB, { deliveryId: first.id }, { jobId: `redelivered-${first.id}` });
    expect(await again.waitUntilFinished(events, 30_000)).toMatchObject({ status: 'sent', already: true });
    expect(await prisma.delivery.count({ where: { subscriptionId } })).toBe(1);
    expect(smtp.messages.filter((mail) => mail.to.includes(to))).toHaveLength(1);
  });

  it('signs webhooks so that the receiver verifies them with the project\'s own verifier', async () => {
    const subscriptionId = await subscribe({ channel: 'webhook', url: `${webhook.url}/signed`, secret: 'whsec_test_0123456789abcdef', formats: ['pdf'] });
    await deliverExecution();
    expect(await delivery(subscriptionId)).toMatchObject({ status: 'sent' });
    const [request] = await webhook.waitForRequests(1, { path: '/signed' });
    const check = verifyAmcSignature(String(request.headers[WEBHOOK_SIGNATURE_HEADER]), request.rawBody, { secrets: ['whsec_test_0123456789abcdef'], toleranceSeconds: 300 });
    expect(check.ok).toBe(true);
    expect(verifyAmcSignature(String(request.headers[WEBHOOK_SIGNATURE_HEADER]), request.rawBody, { secrets: ['another-secret-0123456'], toleranceSeconds: 300 }).ok).toBe(false);
    const body = request.json() as { report: { name: string }; files: { format: string; url: string }[]; metrics: { key: string; value: number }[] };
    expect(body.report.name).toBe(report.document.report.name);
    expect(body.files).toEqual([expect.objectContaining({ format: 'pdf', url: expect.stringMatching(/^http:\/\/reports\.test\/v1\/download-links\//) })]);
    expect(body.metrics).toEqual(expect.arrayContaining([{ key: 'roas', label: 'ROAS', value: 3.41, format: 'ratio' }]));
  });

  it('posts to Slack again after a 429 once its Retry-After has passed', async () => {
    slack.script('/services/T1/B1/retry', { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' });
    const subscriptionId = await subscribe({ channel: 'slack', url: `${slack.url}/services/T1/B1/retry` });
    await deliverExecution();
    const row = await delivery(subscriptionId);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    const [first, second] = await slack.waitForRequests(2, { path: '/services/T1/B1/retry' });
    expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
    expect((second.json() as { text: string }).text).toContain(report.document.report.name);
  });

  it('refuses an SSRF target: an internal service on a port nobody allow-listed is never called', async () => {
    const internal = await startLocalHttpReceiver();
    try {
      const literal = await subscribe({ channel: 'webhook', url: `https://127.0.0.1:${internal.port}/admin`, secret: 'whsec_0123456789abcdef' });
      const named = await subscribe({ channel: 'webhook', url: `https://localhost:${internal.port}/admin`, secret: 'whsec_0123456789abcdef' });
      const plain = await subscribe({ channel: 'webhook', url: `http://127.0.0.1:${internal.port}/admin`, secret: 'whsec_0123456789abcdef' });
      await deliverExecution();
      expect(await delivery(literal)).toMatchObject({ status: 'failed', attempts: 1, error: 'the webhook URL was refused: refused: 127.0.0.1 is a loopback address' });
      expect(await delivery(named)).toMatchObject({ status: 'failed', attempts: 1, error: 'the webhook URL was refused: refused: localhost is a loopback name' });
      expect(await delivery(plain)).toMatchObject({ status: 'failed', attempts: 1, error: 'the webhook URL was refused: must be https (http only for hosts in OUTBOUND_ALLOWLIST)' });
      expect(internal.requests).toEqual([]);
    } finally {
      await internal.close();
    }
  });
});

describe('SMTP answers', () => {
  it('retries a 451 (greylisting) and sends the message once', async () => {
    const to = 'greylisted@client.test';
    smtp.refuseRecipient(to, 451, '4.7.1 Greylisted, please try again later');
    const subscriptionId = await subscribe({ recipients: [to], formats: ['link'] });
    const id = await sendAs(subscriptionId);
    const row = await prisma.delivery.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.attempts.filter((attempt) => attempt.to === to).map((attempt) => attempt.code)).toEqual([451, 250]);
    expect(smtp.messages.filter((mail) => mail.to.includes(to))).toHaveLength(1);
  });

  it('fails a 550 at once with the server\'s words', async () => {
    const to = 'nobody@client.test';
    smtp.refuseRecipient(to, 550, '5.1.1 No such user');
    const id = await sendAs(await subscribe({ recipients: [to] }));
    const row = await prisma.delivery.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('failed');
    expect(row.attempts).toBe(1);
    expect(row.error).toBe('the SMTP server refused the recipient: 550 5.1.1 No such user');
  });
});

describe('conditions', () => {
  it.each<[string, Condition, string | null]>([
    ['ROAS < 5 holds (3.41)', { type: 'metric', expression: 'ROAS < 5' }, null],
    ['ROAS < 2 does not', { type: 'metric', expression: 'ROAS < 2' }, '"ROAS < 2" does not hold: ROAS is 3.41'],
    ['a summary rate in percent holds (0.42%)', { type: 'metric', expression: 'overallConversionRate >= 0.4%' }, null],
    ['and fails above', { type: 'metric', expression: 'overall conversion rate > 0.5%' }, '"overall conversion rate > 0.5%" does not hold: overallConversionRate is 0.42%'],
    ['purchases anomaly is flagged', { type: 'metric', expression: 'purchases anomaly' }, null],
    ['clicks anomaly is not', { type: 'metric', expression: 'clicks anomaly' }, '"clicks anomaly": the execution\'s insights flag no clicks anomaly'],
    ['an insight ≥ 0.9 exists (0.95)', { type: 'insight', minConfidence: 0.9 }, null],
    ['no recommendation ≥ 0.9', { type: 'insight', minConfidence: 0.9, insightTypes: ['recommendation'] }, 'no recommendation insight with confidence ≥ 0.90: the most confident is 0.64'],
  ])('%s', async (_label, condition, skipReason) => {
    const id = await sendAs(await subscribe({ channel: 'webhook', url: `${webhook.url}/conditions`, secret: 'whsec_0123456789abcdef', conditions: [condition] }));
    const row = await prisma.delivery.findUniqueOrThrow({ where: { id } });
    if (skipReason === null) {
      expect(row).toMatchObject({ status: 'sent', skippedBy: null });
    } else {
      expect(row).toMatchObject({ status: 'skipped', skippedBy: condition.type, skipReason });
    }
  });

  it('tells what crossed in an alert\'s subject and body', async () => {
    const to = 'alerts@client.test';
    await sendAs(await subscribe({ recipients: [to], conditions: [{ type: 'metric', expression: 'ROAS < 5' }, { type: 'metric', expression: 'purchases anomaly' }] }));
    const parsed = await (await smtp.waitForMessages(1, { to }))[0].parse();
    expect(parsed.subject).toMatch(/^Alert: /);
    expect(parsed.text).toContain('ROAS is 3.41 (< 5)');
    expect(parsed.text).toContain('purchases anomaly: Purchases fell to 412');
  });

  it('skips "changed" when the content equals the last delivery sent, and sends "now" regardless', async () => {
    const subscriptionId = await subscribe({ channel: 'webhook', url: `${webhook.url}/changed`, secret: 'whsec_0123456789abcdef', conditions: [{ type: 'changed' }] });
    const first = await prisma.delivery.findUniqueOrThrow({ where: { id: await sendAs(subscriptionId) } });
    const second = await prisma.delivery.findUniqueOrThrow({ where: { id: await sendAs(subscriptionId) } });
    const manual = await prisma.delivery.findUniqueOrThrow({ where: { id: await sendAs(subscriptionId, 'manual') } });
    expect(first.status).toBe('sent');
    expect(second).toMatchObject({ status: 'skipped', skippedBy: 'changed', skipReason: `nothing changed since the delivery sent at ${first.sentAt!.toISOString()}` });
    expect(manual.status).toBe('sent');
  });
});

describe('schedules', () => {
  it('delivers on a short cron schedule in its time zone, one delivery per tick', async () => {
    const to = 'every-second@client.test';
    const subscriptionId = await subscribe({ recipients: [to], cron: '* * * * * *' });
    const schedule = subscriptionSchedule({ id: subscriptionId, cron: '* * * * * *', timeZone: 'Europe/Berlin' });
    await queue.upsertJobScheduler(schedule.id, schedule.repeat, schedule.template);
    try {
      await smtp.waitForMessages(2, { to, timeoutMs: 20_000 });
    } finally {
      await queue.removeJobScheduler(schedule.id);
    }
    // The receiver has the second message a moment before its row is marked sent.
    const sentRows = () => prisma.delivery.findMany({ where: { subscriptionId, status: 'sent' }, orderBy: { scheduledFor: 'asc' } });
    const rows = await until('two sent schedule deliveries', async () => {
      const sent = await sentRows();
      return sent.length >= 2 ? sent : null;
    }, 10_000, 100).catch(sentRows);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((row) => row.triggerKind === 'schedule' && row.triggerKey === `tick-${row.scheduledFor!.toISOString()}`)).toBe(true);
    // One delivery per tick: ticks are whole seconds apart (a loaded machine may miss one), never the same tick twice.
    const gap = rows[1].scheduledFor!.getTime() - rows[0].scheduledFor!.getTime();
    expect([gap > 0, gap % 1_000]).toEqual([true, 0]);
  });
});
