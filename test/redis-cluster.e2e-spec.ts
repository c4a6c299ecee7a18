import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import { Cluster } from 'ioredis';
import { strFromU8, unzipSync } from 'fflate';
import type { ExportFinishedEvent, InsightsGeneratedEvent } from '@amc-reports/contracts';
import { createRedisClient } from '@amc-reports/queue';
import { postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';

/**
 * The whole round trip on a real 3-master Redis Cluster (started by the launcher for this file):
 * signed events through the gateway and its outbox relay, report-service, insight-worker, an
 * export, the gateway's live events and /health (worker heartbeats), with every queue's keys in
 * the one slot of the prefix's hash tag.
 */
let stack: AppStack;
let db: Client;

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service', 'insight-worker', 'export-worker'], {}, { redisCluster: true });
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

interface SseFrame {
  event: string;
  data: Record<string, unknown>;
}

/** The report's Server-Sent Events as they arrive (the gateway relays them from its cluster subscription). */
async function openEventStream(reportId: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${stack.gatewayUrl}/v1/reports/${reportId}/events`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const frames: SseFrame[] = [];
  let arrived: () => void = () => undefined;
  void (async () => {
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += Buffer.from(chunk).toString('utf8');
        let split: number;
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          const data = block.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) frames.push({ event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message', data: JSON.parse(data) as Record<string, unknown> });
          arrived();
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    next: (event: string, timeoutMs = 30_000) => new Promise<SseFrame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} frame within ${timeoutMs} ms`)), timeoutMs);
      arrived = () => {
        const found = frames.find((frame) => frame.event === event);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      arrived();
    }),
    close: () => controller.abort(),
  };
}

function weekEvent(workflowId: string, instanceId: string, week: number) {
  const start = new Date(Date.UTC(2026, 8, 7 + (week - 1) * 7));
  return {
    eventId: randomUUID(), instanceId, workflowId, executionId: randomUUID(), status: 'SUCCEEDED',
    timeWindow: { start: start.toISOString(), end: new Date(start.getTime() + 7 * 86_400_000 - 1_000).toISOString() },
    result: {
      format: 'rows', columns: ['campaign', 'impressions', 'clicks', 'purchases'],
      rows: [['Alpha', 10_000 + week * 500, 300 + week * 20, 20 + week], ['Beta', 8_000, 240 - week * 10, 15]],
    },
  };
}

/** docker-compose.yml's container health check of a worker, given the cluster as REDIS_CLUSTER_NODES: its exit code. */
function containerHealthCheck(app: string, prefix: string | undefined): Promise<number> {
  const script = path.resolve(__dirname, '..', 'scripts', 'healthcheck.cjs');
  const env = { PATH: process.env.PATH, REDIS_CLUSTER_NODES: stack.redisUrl.replace('redis+cluster://', ''), ...(prefix ? { QUEUE_PREFIX: prefix } : {}) };
  return new Promise((resolve) => execFile(process.execPath, [script, app], { env }, (error) => resolve(error ? Number(error.code ?? 1) : 0)));
}

async function masters(cluster: Cluster) {
  if (cluster.status !== 'ready') await new Promise((resolve) => cluster.once('ready', resolve));
  return cluster.nodes('master');
}

it('runs signed events to dashboards, insights, live events and an export on a 3-master Redis Cluster', async () => {
  const instanceId = 'inst-cluster';
  const api = await stack.memberApi({ instanceIds: [instanceId], email: 'cluster@example.com' });
  const token = api.token;
  const workflow = await api.post('/v1/workflows', { name: 'cluster', sqlQuery: 'SELECT 1', amcInstanceId: instanceId, amcWorkflowId: 'cluster_wf', reportEnabled: true });
  expect(workflow.status).toBe(201);
  const reportId = workflow.body.reportConfigId as string;
  const stream = await openEventStream(reportId, token);

  // Three weekly executions, each through gateway → outbox relay → report.update → insight.generate.
  const eventIds: string[] = [];
  for (const week of [1, 2, 3]) {
    const insights = await waitForBusEvent<InsightsGeneratedEvent>(stack.redisUrl, 'insights.generated', (event) => event.reportId === reportId, 60_000);
    await insights.subscribed;
    const event = weekEvent(workflow.body.id, instanceId, week);
    const accepted = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event);
    expect(accepted).toMatchObject({ status: 202, body: { status: 'accepted' } });
    eventIds.push(event.eventId);
    expect((await insights.event).insightCount).toBeGreaterThan(0);
  }
  expect((await stream.next('dashboard.updated')).data).toMatchObject({ reportId });
  expect((await stream.next('insights.generated')).data).toMatchObject({ reportId });

  const relayed = await db.query('SELECT count(*)::int AS n FROM amc_execution_events WHERE event_id = ANY($1) AND enqueued_at IS NOT NULL', [eventIds]);
  expect(relayed.rows[0].n).toBe(3);
  const board = await api.get(`/v1/reports/${reportId}/dashboard`);
  expect(board.status).toBe(200);
  expect(board.body.latestRun).toMatchObject({ status: 'SUCCEEDED', rowCount: 2 });
  expect(board.body.history.length).toBe(3);
  const insights = await api.get(`/v1/reports/${reportId}/insights?limit=50`);
  expect(insights.body.items.length).toBeGreaterThan(0);

  const finished = await waitForBusEvent<ExportFinishedEvent>(stack.redisUrl, 'export.completed', (event) => event.reportId === reportId, 60_000);
  await finished.subscribed;
  const requested = await api.post(`/v1/reports/${reportId}/exports`, { format: 'csv', scope: 'dashboard' });
  expect(requested.status).toBe(202);
  expect((await finished.event).exportId).toBe(requested.body.id);
  const file = await fetch(`${stack.gatewayUrl}/v1/exports/${requested.body.id}/download`, { headers: { authorization: `Bearer ${token}` } });
  expect(file.status).toBe(200);
  // The dashboard CSV is a ZIP of one CSV per view: the campaign names are in one of them.
  const entries = unzipSync(new Uint8Array(await file.arrayBuffer()));
  expect(Object.keys(entries)).toEqual(expect.arrayContaining(['README.txt', 'manifest.json']));
  expect(Object.entries(entries).some(([name, bytes]) => name.endsWith('.csv') && strFromU8(bytes).includes('Alpha'))).toBe(true);
  expect((await stream.next('export.completed')).data).toMatchObject({ reportId, exportId: requested.body.id });
  stream.close();

  // Worker heartbeats and queue counts come from the cluster too.
  const health = await (await fetch(`${stack.gatewayUrl}/health`)).json() as Record<string, any>;
  expect(health).toMatchObject({ status: 'ok', redis: { status: 'ok' }, problems: [] });
  expect(Object.keys(health.workers).sort()).toEqual(['export-worker', 'insight-worker', 'report-service']);
  expect(await containerHealthCheck('report-service', stack.env.QUEUE_PREFIX)).toBe(0);
  // The cluster's default prefix ({amc}) holds no heartbeat of this stack: unhealthy, not a false "ok".
  expect(await containerHealthCheck('report-service', undefined)).toBe(1);
}, 180_000);

it('is a real cluster of 3 masters, and each queue keeps all of its keys in the one slot of the prefix hash tag', async () => {
  const cluster = createRedisClient(stack.redisUrl) as Cluster;
  try {
    const info = String(await cluster.cluster('INFO'));
    expect(info).toMatch(/cluster_state:ok/);
    expect(info).toMatch(/cluster_size:3\b/);
    const prefix = stack.env.QUEUE_PREFIX!;
    expect(prefix).toMatch(/^\{[^{}]+\}$/);
    const found = await Promise.all((await masters(cluster)).map(async (node) => ({ port: node.options.port, keys: await node.keys(`${prefix}:*`) })));
    const holders = found.filter((node) => node.keys.length > 0);
    expect(holders).toHaveLength(1);
    const keys = holders[0].keys;
    for (const queue of ['report.update', 'insight.generate', 'export.render', 'maintenance']) {
      expect(keys.some((key) => key.startsWith(`${prefix}:${queue}:`))).toBe(true);
    }
    const slots = new Set(await Promise.all(keys.slice(0, 50).map((key) => cluster.cluster('KEYSLOT', key))));
    expect(slots.size).toBe(1);
  } finally {
    cluster.disconnect();
  }
});
