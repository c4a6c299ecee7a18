import { randomUUID } from 'node:crypto';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
let stack: AppStack;

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service', 'export-worker'], { ADMIN_TOKEN });
}, 120_000);
afterAll(async () => stack?.stop());

async function scrape(): Promise<string> {
  const response = await fetch(`${stack.gatewayUrl}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

function value(metrics: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

it('moves the event, HTTP, queue and job metrics after one signed event', async () => {
  const api = await stack.memberApi({ instanceIds: ['inst-m'] });
  const workflow = await api.post('/v1/workflows', { name: 'm', sqlQuery: 'SELECT 1', amcInstanceId: 'inst-m', amcWorkflowId: 'metrics_wf', reportEnabled: true });
  const before = await scrape();
  const updated = await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'dashboard.updated', (e) => e.reportId === workflow.body.reportConfigId);
  await updated.subscribed;
  const event = {
    eventId: randomUUID(), instanceId: 'inst-m', workflowId: workflow.body.id, executionId: randomUUID(), status: 'SUCCEEDED',
    timeWindow: { start: '2026-10-01T00:00:00Z', end: '2026-10-07T23:59:59Z' },
    result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['A', 10]] },
  };
  expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event)).status).toBe(202);
  expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event)).body.status).toBe('duplicate');
  expect((await postSignedEvent(stack.gatewayUrl, 'wrong-secret-0123456789', event)).status).toBe(401);
  await updated.event;

  const after = await scrape();
  for (const outcome of ['accepted', 'duplicate', 'rejected_signature']) {
    expect([outcome, value(after, 'amc_events_total', { outcome }) - value(before, 'amc_events_total', { outcome })]).toEqual([outcome, 1]);
  }
  expect(value(after, 'http_request_duration_seconds_count', { route: '/v1/events/amc/execution-completed', status_code: '202' })).toBeGreaterThanOrEqual(1);
  expect(after).toMatch(/queue_oldest_waiting_seconds\{queue="report\.update"\} /);
  // dashboard.updated is published just before the job returns: the completion (queue gauge,
  // duration histogram fed by queue events) lands a moment later.
  const deadline = Date.now() + 10_000;
  let latest = await scrape();
  while ((value(latest, 'job_duration_seconds_count', { queue: 'report.update' }) < 1
    || value(latest, 'queue_jobs', { queue: 'report.update', state: 'completed' }) < 1) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    latest = await scrape();
  }
  expect(value(latest, 'job_duration_seconds_count', { queue: 'report.update' })).toBeGreaterThanOrEqual(1);
  expect(value(latest, 'queue_jobs', { queue: 'report.update', state: 'completed' })).toBeGreaterThanOrEqual(1);
}, 60_000);

it('counts export bytes and render time per format after one export', async () => {
  const api = await stack.memberApi({ instanceIds: ['inst-m2'] });
  const workflow = await api.post('/v1/workflows', { name: 'm2', sqlQuery: 'SELECT 1', amcInstanceId: 'inst-m2', amcWorkflowId: 'metrics_wf2', reportEnabled: true });
  const reportId = workflow.body.reportConfigId as string;
  const updated = await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'dashboard.updated', (e) => e.reportId === reportId);
  await updated.subscribed;
  await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, {
    eventId: randomUUID(), instanceId: 'inst-m2', workflowId: workflow.body.id, executionId: randomUUID(), status: 'SUCCEEDED',
    timeWindow: { start: '2026-10-01T00:00:00Z', end: '2026-10-07T23:59:59Z' },
    result: { format: 'rows', columns: ['campaign', 'impressions', 'clicks'], rows: [['A', 10, 1], ['B', 20, 3]] },
  });
  await updated.event;
  const before = await scrape();
  const completed = await waitForBusEvent<{ reportId: string; sizeBytes: number }>(stack.redisUrl, 'export.completed', (e) => e.reportId === reportId);
  await completed.subscribed;
  expect((await api.post(`/v1/reports/${reportId}/exports`, { format: 'csv', scope: 'dashboard' })).status).toBe(202);
  const event = await completed.event;
  // The gateway counts from the same bus event, a moment after it is published.
  const deadline = Date.now() + 10_000;
  let after = await scrape();
  while (value(after, 'export_bytes_total', { format: 'csv' }) === value(before, 'export_bytes_total', { format: 'csv' }) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    after = await scrape();
  }
  expect(value(after, 'export_bytes_total', { format: 'csv' }) - value(before, 'export_bytes_total', { format: 'csv' })).toBe(event.sizeBytes);
  expect(value(after, 'export_duration_seconds_count', { format: 'csv', status: 'completed' })).toBe(value(before, 'export_duration_seconds_count', { format: 'csv', status: 'completed' }) + 1);
}, 60_000);

it('answers /health with readiness details and /health/live', async () => {
  const health = await fetch(`${stack.gatewayUrl}/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', migrations: { status: 'ok' }, queues: { 'report.update': expect.any(Object) } });
  expect((await fetch(`${stack.gatewayUrl}/health/live`)).status).toBe(200);
});

it('serves the queue dashboard only with the admin token', async () => {
  expect((await fetch(`${stack.gatewayUrl}/admin/queues`)).status).toBe(401);
  expect((await fetch(`${stack.gatewayUrl}/admin/queues`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  const page = await fetch(`${stack.gatewayUrl}/admin/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<html/i);
  const api = await fetch(`${stack.gatewayUrl}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(api.status).toBe(200);
  const body = (await api.json()) as { queues: { name: string }[] };
  expect(body.queues.map((q) => q.name).sort()).toEqual(['delivery', 'export.render', 'insight.generate', 'maintenance', 'report.update']);
});
