import { randomUUID } from 'node:crypto';
import { createPgPool, createPgSql, createPrismaClient, type PgSql, type PrismaClient } from '@amc-reports/db';
import type { Pool } from 'pg';
import { profileInlineRows } from '@amc-reports/result-profile';
import { createTestDatabase, seedOrganization, type TestDatabase } from '@amc-reports/testing';
import { DEMO_COLUMNS, demoWeek, demoWindow } from '../../../scripts/lib/demo-history';
import { type ConfigurationToBuild, rebuildConfiguration } from './dashboard-rebuilder';

let database: TestDatabase;
let prisma: PrismaClient;
let pool: Pool;
let sql: PgSql;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 4 });
  pool = createPgPool({ databaseUrl: database.url, poolSize: 4 });
  sql = createPgSql(pool);
});
afterAll(async () => {
  await pool.end();
  await prisma.$disconnect();
  await database.drop();
});

async function seedWorkflow(): Promise<{ workflowId: string; instanceId: string; config: ConfigurationToBuild }> {
  const instanceId = `amcinst${randomUUID().slice(0, 8)}`;
  const user = await prisma.user.create({ data: { id: randomUUID(), email: `${randomUUID()}@example.com` } });
  const { organizationId } = await seedOrganization(prisma, { instanceIds: [instanceId], members: [{ userId: user.id, role: 'owner' }] });
  const workflow = await prisma.workflow.create({
    data: { organizationId, createdBy: user.id, name: 'Weekly funnel', sqlQuery: 'SELECT 1', amcInstanceId: instanceId, reportEnabled: true },
  });
  const row = await prisma.reportConfiguration.create({ data: { workflowId: workflow.id, name: 'Funnel', dashboardType: 'funnel' } });
  const config: ConfigurationToBuild = {
    id: row.id, name: row.name, dashboardType: 'funnel', visualizationSettings: {}, dataAggregationSettings: {}, exportSettings: {}, deliversAfterExecution: false,
  };
  return { workflowId: workflow.id, instanceId, config };
}

/** An execution as the report service leaves it once its result is profiled. */
async function recordWeek(workflowId: string, instanceId: string, week: number): Promise<string> {
  const window = demoWindow(week);
  const rows = demoWeek(week);
  const execution = await prisma.workflowExecution.create({
    data: {
      workflowId, amcInstanceId: instanceId, amcExecutionId: `race-${week}-${randomUUID().slice(0, 8)}`, status: 'SUCCEEDED',
      timeWindowStart: new Date(window.start), timeWindowEnd: new Date(window.end), timeZone: window.timeZone,
      rowCount: rows.length, resultProfile: profileInlineRows(DEMO_COLUMNS, rows) as object, completedAt: new Date(),
    },
  });
  return execution.id;
}

async function shownExecutions(configId: string): Promise<string[]> {
  const views = await prisma.dashboardView.findMany({ where: { reportConfigurationId: configId }, select: { sourceExecutionId: true } });
  return [...new Set(views.map((view) => view.sourceExecutionId))] as string[];
}

it('the job that writes last leaves the newest window, though it read the history before that window was recorded', async () => {
  const { workflowId, instanceId, config } = await seedWorkflow();
  await recordWeek(workflowId, instanceId, 1);

  // Job B (week 1) has read the history and built week 1's views; its write waits here.
  let entered!: () => void;
  let release!: () => void;
  const writing = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  const heldClient: PgSql = {
    ...sql,
    transaction: async (work) => {
      if (!held) {
        held = true;
        entered();
        await released;
      }
      return sql.transaction(work);
    },
  };
  const jobB = rebuildConfiguration(heldClient, workflowId, config);
  await writing;

  // Meanwhile job A records week 2 and writes its views first.
  const week2 = await recordWeek(workflowId, instanceId, 2);
  await rebuildConfiguration(sql, workflowId, config);
  expect(await shownExecutions(config.id)).toEqual([week2]);

  // B writes week 1's views last: it must see that the history moved and build again.
  release();
  const rebuilt = await jobB;
  expect(rebuilt.shownExecutionId).toBe(week2);
  expect(await shownExecutions(config.id)).toEqual([week2]);
});
