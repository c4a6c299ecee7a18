import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { findFreePort, startRedis, type RunningRedis } from '@amc-reports/launcher';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, type AppStack } from '@amc-reports/testing';

const sample = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'events', 'succeeded_inline_rows.json'), 'utf8'));
let redisDir: string;
let redisPort: number;
let redis: RunningRedis;
let stack: AppStack;

beforeAll(async () => {
  // A Redis of this file's own, so stopping it cannot disturb other test files.
  redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'amc-redis-outage-'));
  redisPort = await findFreePort();
  redis = await startRedis({ dir: redisDir, port: redisPort, log: () => undefined });
  stack = await startAppStack(['gateway', 'report-service'], {}, redis.url);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
  fs.rmSync(redisDir, { recursive: true, force: true });
});

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('accepts an event while Redis is down and builds its dashboard once Redis is back, without a resend', async () => {
  const owner = randomUUID();
  const api = await stack.memberApi({ userId: owner, instanceIds: [sample.instanceId] });
  const workflow = await api.post('/v1/workflows', { name: 'w', sqlQuery: 'SELECT 1', amcInstanceId: sample.instanceId, amcWorkflowId: 'outage_wf', reportEnabled: true });
  expect(workflow.status).toBe(201);
  const reportId = workflow.body.reportConfigId as string;

  await redis.stop();
  const started = Date.now();
  const body = { ...sample, eventId: randomUUID(), executionId: randomUUID(), workflowId: workflow.body.id };
  const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body);
  expect(response).toMatchObject({ status: 202, body: { status: 'accepted' } });
  expect(Date.now() - started).toBeLessThan(5_000);

  const db = new Client({ connectionString: stack.database.url });
  await db.connect();
  try {
    const pending = await db.query('SELECT enqueued_at, last_relay_error FROM amc_execution_events WHERE event_id = $1', [body.eventId]);
    expect(pending.rows[0].enqueued_at).toBeNull();

    redis = await startRedis({ dir: redisDir, port: redisPort, log: () => undefined });
    await waitFor(async () => {
      const row = await db.query('SELECT enqueued_at FROM amc_execution_events WHERE event_id = $1', [body.eventId]);
      return row.rows[0].enqueued_at ? true : null;
    }, 30_000);
    const board = await waitFor(async () => {
      const dashboard = await api.get(`/v1/reports/${reportId}/dashboard`);
      return dashboard.body.views?.length > 0 ? dashboard.body : null;
    }, 30_000);
    expect(board.latestRun).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(stack.apps.get('gateway')!.child.exitCode).toBeNull();
    expect(stack.apps.get('report-service')!.child.exitCode).toBeNull();
  } finally {
    await db.end();
  }
}, 120_000);
