import { randomUUID } from 'node:crypto';
import { createTestDatabase, seedWorkflow, type TestDatabase } from '@amc-reports/testing';
import { createPrismaClient, type PrismaClient } from './prisma-client';
import { readReportTimeline } from './report-timeline';

let database: TestDatabase;
let prisma: PrismaClient;
let workflowId: string;
let instanceId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  ({ workflowId, instanceId } = await seedWorkflow(prisma, 'Timeline'));
});
afterAll(async () => {
  await prisma.$disconnect();
  await database.drop();
});

async function storeExecution(executionId: string, week: number, completedAt: Date | null): Promise<string> {
  const start = new Date(Date.UTC(2026, 10, 2 + 7 * week));
  const row = await prisma.workflowExecution.create({
    data: {
      workflowId, amcInstanceId: instanceId, amcExecutionId: executionId, status: 'SUCCEEDED',
      timeWindowStart: start, timeWindowEnd: new Date(start.getTime() + 7 * 86_400_000), completedAt,
    },
  });
  return row.id;
}

describe('readReportTimeline', () => {
  it('puts first the execution AMC completed last, whichever row was created first', async () => {
    // Two events handled at once: week 8's row is created before week 7's, though week 8 completed later.
    const week8 = await storeExecution('week-8', 8, new Date('2026-11-23T06:00:02Z'));
    const week7 = await storeExecution('week-7', 7, new Date('2026-11-23T06:00:01Z'));
    const pending = await storeExecution('no-completion-time', 6, null);
    const rows = await readReportTimeline(prisma, workflowId, randomUUID());
    expect(rows.map((row) => row.id)).toEqual([week8, week7, pending]);
    expect(rows[0].createdAt.getTime()).toBeLessThanOrEqual(rows[1].createdAt.getTime());
  });
});
