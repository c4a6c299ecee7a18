import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { REPORT_UPDATE_JOB, reportUpdateJobId } from '@amc-reports/contracts';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { createTestDatabase, requireTestEnv, seedOrganization, uniqueQueuePrefix, type TestDatabase } from '@amc-reports/testing';
import { viewsBehindHistory, workflowBacklog, type DeferralOptions } from './rebuild-deferral';

const deferredRebuilds = async (...args: Parameters<typeof workflowBacklog>) => (await workflowBacklog(...args)).deferred;

let database: TestDatabase;
let prisma: PrismaClient;
let queue: Queue;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  queue = new Queue('report.update', { connection: { url: requireTestEnv('redisUrl') }, prefix: uniqueQueuePrefix('deferral') });
});
afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await prisma.$disconnect();
  await database.drop();
});

const options = (maxLagMs = 5_000): DeferralOptions => ({ maxLagMs, jobState: (amcExecutionId) => queue.getJobState(reportUpdateJobId(amcExecutionId)) });

async function seed() {
  const instanceId = `amcinst${randomUUID().slice(0, 8)}`;
  const user = await prisma.user.create({ data: { id: randomUUID(), email: `${randomUUID()}@example.com` } });
  const { organizationId } = await seedOrganization(prisma, { instanceIds: [instanceId], members: [{ userId: user.id, role: 'owner' }] });
  const workflow = await prisma.workflow.create({ data: { organizationId, createdBy: user.id, name: 'wf', sqlQuery: 'SELECT 1', amcInstanceId: instanceId, reportEnabled: true } });
  const report = await prisma.reportConfiguration.create({ data: { workflowId: workflow.id, name: 'r', dashboardType: 'performance' } });
  const event = async (status = 'SUCCEEDED') => prisma.amcExecutionEvent.create({
    data: { eventId: randomUUID(), amcInstanceId: instanceId, amcExecutionId: randomUUID(), status, workflowId: workflow.id, payload: {} },
  });
  const views = (processedAt: Date) => prisma.dashboardView.create({
    data: { reportConfigurationId: report.id, viewKey: randomUUID(), name: 'v', viewType: 'chart', position: 0, processedAt },
  });
  return { workflowId: workflow.id, instanceId, reportId: report.id, event, views };
}

describe('leaving a rebuild to a job that has not begun', () => {
  it('defers while another SUCCEEDED event of the workflow waits in BullMQ or is not relayed yet', async () => {
    const { workflowId, reportId, event, views } = await seed();
    await views(new Date());
    const mine = await event();
    expect(await deferredRebuilds(prisma, workflowId, [reportId], mine.id, options())).toEqual(new Set());

    const next = await event();
    // Not relayed: no job yet, so it begins after now.
    expect(await deferredRebuilds(prisma, workflowId, [reportId], mine.id, options())).toEqual(new Set([reportId]));
    await queue.add(REPORT_UPDATE_JOB, { eventRowId: next.id }, { jobId: reportUpdateJobId(next.amcExecutionId) });
    expect(await queue.getJobState(reportUpdateJobId(next.amcExecutionId))).toBe('waiting');
    expect(await deferredRebuilds(prisma, workflowId, [reportId], mine.id, options())).toEqual(new Set([reportId]));
    // Off when the lag is 0.
    expect(await deferredRebuilds(prisma, workflowId, [reportId], mine.id, options(0))).toEqual(new Set());
  });

  it('does not defer to an active job, a processed or failed event, a FAILED execution, or when the dashboard is older than the lag', async () => {
    const { workflowId, reportId, event, views } = await seed();
    const mine = await event();
    await views(new Date(Date.now() - 60_000));
    await event();
    // The dashboard was written a minute ago: rebuilt now, however many events wait (and they do).
    expect(await workflowBacklog(prisma, workflowId, [reportId], mine.id, options())).toEqual({ waiting: true, deferred: new Set() });
    await views(new Date());
    expect(await deferredRebuilds(prisma, workflowId, [reportId], mine.id, options())).toEqual(new Set([reportId]));

    await prisma.amcExecutionEvent.updateMany({ where: { workflowId, id: { not: mine.id } }, data: { processedAt: new Date() } });
    await event('FAILED');
    const failed = await event();
    await prisma.amcExecutionEvent.update({ where: { id: failed.id }, data: { failedAt: new Date() } });
    expect(await deferredRebuilds(prisma, workflowId, [reportId], mine.id, options())).toEqual(new Set());

    const active = await event();
    const activeState: DeferralOptions = { maxLagMs: 5_000, jobState: async () => 'active' };
    expect(await workflowBacklog(prisma, workflowId, [reportId], mine.id, activeState)).toEqual({ waiting: false, deferred: new Set() });
    expect(await deferredRebuilds(prisma, workflowId, [reportId], mine.id, { ...activeState, jobState: async () => 'delayed' })).toEqual(new Set([reportId]));
    await prisma.amcExecutionEvent.delete({ where: { id: active.id } });
  });

  it('sees views older than the newest usable execution', async () => {
    const { workflowId, instanceId, reportId, views } = await seed();
    await views(new Date());
    expect(await viewsBehindHistory(prisma, workflowId, reportId)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await prisma.workflowExecution.create({
      data: { workflowId, amcInstanceId: instanceId, amcExecutionId: randomUUID(), status: 'SUCCEEDED', timeWindowStart: new Date(), timeWindowEnd: new Date(), resultProfile: {} },
    });
    expect(await viewsBehindHistory(prisma, workflowId, reportId)).toBe(true);
  });
});
