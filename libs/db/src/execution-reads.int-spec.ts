import { randomUUID } from 'node:crypto';
import { packProfile } from '@amc-reports/contracts';
import { profileInlineRows } from '@amc-reports/result-profile';
import { createTestDatabase, seedWorkflow, type TestDatabase } from '@amc-reports/testing';
import { createPrismaClient, type PrismaClient } from './prisma-client';
import { ProfileCache, readExecutionProfiles } from './profile-cache';
import { readReportTimeline } from './report-timeline';

let database: TestDatabase;
let prisma: PrismaClient;
let workflowId: string;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  ({ workflowId, instanceId } = await seedWorkflow(prisma, 'Cache'));
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

const profileOf = (impressions: number) =>
  profileInlineRows(['campaign', 'impressions'], [['A', impressions], ['B', impressions * 2], ['B', 1]]);

async function storeExecution(stored: object): Promise<string> {
  const row = await prisma.workflowExecution.create({
    data: {
      workflowId, amcInstanceId: instanceId, amcExecutionId: randomUUID(), status: 'SUCCEEDED', timeWindowStart: new Date(), timeWindowEnd: new Date(),
      completedAt: new Date(), resultProfile: stored,
    },
  });
  return row.id;
}

describe('readExecutionProfiles and the profile cache', () => {
  it('reads packed and unpacked stored profiles as the same profile, frozen', async () => {
    const profile = profileOf(10);
    const [packed, plain] = [await storeExecution(packProfile(profile)), await storeExecution(JSON.parse(JSON.stringify(profile)))];
    const read = await readExecutionProfiles(prisma, [packed, plain]);
    expect(read.get(packed)).toStrictEqual(JSON.parse(JSON.stringify(profile)));
    expect(read.get(plain)).toStrictEqual(read.get(packed));
    expect(() => (read.get(packed)!.dimensionBreakdowns.campaign as unknown[]).sort()).toThrow(TypeError);
    expect(() => { read.get(plain)!.totals.impressions = 0; }).toThrow(TypeError);
  });

  it('serves a cached profile until its row changes, then reads it again', async () => {
    const cache = new ProfileCache(8);
    const id = await storeExecution(packProfile(profileOf(10)));
    const first = await readExecutionProfiles(prisma, [id], cache);
    const second = await readExecutionProfiles(prisma, [id], cache);
    expect(second.get(id)).toBe(first.get(id));
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 1, misses: 1 });

    await prisma.$executeRaw`UPDATE workflow_executions SET result_profile = ${JSON.stringify(packProfile(profileOf(99)))}::json WHERE id = ${id}::uuid`;
    const third = await readExecutionProfiles(prisma, [id], cache);
    expect(third.get(id)!.totals.impressions).toBe(99 + 198 + 1);
    expect(cache.misses).toBe(2);
  });

  it('holds at most its capacity, and nothing with capacity 0', async () => {
    const ids = [await storeExecution(packProfile(profileOf(1))), await storeExecution(packProfile(profileOf(2))), await storeExecution(packProfile(profileOf(3)))];
    const cache = new ProfileCache(2);
    const read = await readExecutionProfiles(prisma, ids, cache);
    expect(read.size).toBe(3);
    expect(cache.size).toBe(2);
    const off = new ProfileCache(0);
    await readExecutionProfiles(prisma, ids, off);
    expect(off.size).toBe(0);
  });

  it('leaves out executions without a profile', async () => {
    const row = await prisma.workflowExecution.create({
      data: { workflowId, amcInstanceId: instanceId, amcExecutionId: randomUUID(), status: 'FAILED', timeWindowStart: new Date(), timeWindowEnd: new Date() },
    });
    expect((await readExecutionProfiles(prisma, [row.id], new ProfileCache(4))).size).toBe(0);
    expect((await readExecutionProfiles(prisma, [row.id])).size).toBe(0);
  });
});

describe('readReportTimeline', () => {
  it('puts first the execution AMC completed last, whichever row was created first', async () => {
    // A workflow of its own: the executions above would come first (completed now).
    const own = await seedWorkflow(prisma, 'Timeline');
    const storeWeek = async (executionId: string, week: number, completedAt: Date | null): Promise<string> => {
      const start = new Date(Date.UTC(2026, 10, 2 + 7 * week));
      const row = await prisma.workflowExecution.create({
        data: {
          workflowId: own.workflowId, amcInstanceId: own.instanceId, amcExecutionId: executionId, status: 'SUCCEEDED',
          timeWindowStart: start, timeWindowEnd: new Date(start.getTime() + 7 * 86_400_000), completedAt,
        },
      });
      return row.id;
    };
    // Two events handled at once: week 8's row is created before week 7's, though week 8 completed later.
    const week8 = await storeWeek('week-8', 8, new Date('2026-11-23T06:00:02Z'));
    const week7 = await storeWeek('week-7', 7, new Date('2026-11-23T06:00:01Z'));
    const pending = await storeWeek('no-completion-time', 6, null);
    const rows = await readReportTimeline(prisma, own.workflowId, randomUUID());
    expect(rows.map((row) => row.id)).toEqual([week8, week7, pending]);
    expect(rows[0].createdAt.getTime()).toBeLessThanOrEqual(rows[1].createdAt.getTime());
  });
});
