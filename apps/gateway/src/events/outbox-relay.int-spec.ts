import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { REPORT_UPDATE_QUEUE, reportUpdateJobId } from '@amc-reports/contracts';
import { createPgPool, createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { createTestDatabase, requireTestEnv, seedOrganization, uniqueQueuePrefix, type TestDatabase } from '@amc-reports/testing';
import type { Pool } from 'pg';
import type { GatewayConfig } from '../app-config';
import { OutboxRelay } from './outbox-relay.service';

let database: TestDatabase;
let prisma: PrismaClient;
let pool: Pool;
let queue: Queue;
let relay: OutboxRelay;
/** The timer never starts here (onApplicationBootstrap is not called): the tests call relayPending. */
const RELAY_TICK_MS = 1_000;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient({ databaseUrl: database.url, poolSize: 2 });
  pool = createPgPool({ databaseUrl: database.url, poolSize: 2 });
  queue = new Queue(REPORT_UPDATE_QUEUE, { connection: { url: requireTestEnv('redisUrl') }, prefix: uniqueQueuePrefix('relay') });
  relay = new OutboxRelay(prisma, queue, { OUTBOX_RELAY_INTERVAL_MS: RELAY_TICK_MS } as GatewayConfig);
});
afterAll(async () => {
  await relay.onApplicationShutdown();
  await queue.obliterate({ force: true });
  await queue.close();
  await pool.end();
  await prisma.$disconnect();
  await database.drop();
});

async function acceptedEvent() {
  const instanceId = `amcinst${randomUUID().slice(0, 8)}`;
  const user = await prisma.user.create({ data: { id: randomUUID(), email: `${randomUUID()}@example.com` } });
  const { organizationId } = await seedOrganization(prisma, { instanceIds: [instanceId], members: [{ userId: user.id, role: 'owner' }] });
  const workflow = await prisma.workflow.create({ data: { organizationId, createdBy: user.id, name: 'wf', sqlQuery: 'SELECT 1', amcInstanceId: instanceId } });
  return prisma.amcExecutionEvent.create({
    data: { eventId: randomUUID(), amcInstanceId: instanceId, amcExecutionId: randomUUID(), status: 'SUCCEEDED', workflowId: workflow.id, payload: {} },
  });
}

const relayState = (id: string) =>
  prisma.amcExecutionEvent.findUniqueOrThrow({ where: { id }, select: { enqueuedAt: true, relayAttempts: true } });

describe('outbox relay', () => {
  it('leaves an event the fast path just queued to its mark: not relayed twice, marked once', async () => {
    const event = await acceptedEvent();
    expect(await relay.relayOne(event.id, event.amcExecutionId, pool)).toBe(true);
    // The mark waits for its batch (a few ms); a timer tick in that gap must not take the row.
    expect(await relay.relayPending()).toBe(0);
    const state = await relayState(event.id);
    expect(state.enqueuedAt).not.toBeNull();
    expect(state.relayAttempts).toBe(1);
    expect(await queue.getJobState(reportUpdateJobId(event.amcExecutionId))).toBe('waiting');
  });

  it('relays an accepted event the fast path never queued (Redis was away) once it is a tick old, once', async () => {
    const event = await acceptedEvent();
    // Younger than a tick it may still be in another gateway's fast path.
    expect(await relay.relayPending()).toBe(0);
    await prisma.amcExecutionEvent.update({ where: { id: event.id }, data: { receivedAt: new Date(Date.now() - RELAY_TICK_MS - 100) } });
    expect(await relay.relayPending()).toBe(1);
    expect(await queue.getJobState(reportUpdateJobId(event.amcExecutionId))).toBe('waiting');
    expect(await relayState(event.id)).toMatchObject({ relayAttempts: 1 });
    expect(await relay.relayPending()).toBe(0);
  });
});
