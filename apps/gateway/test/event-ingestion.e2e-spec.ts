import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Queue } from 'bullmq';
import { REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import { apiClient, postOversizedEvent, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, type AppStack } from '@amc-reports/testing';

const sample = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'events', 'succeeded_inline_rows.json'), 'utf8'));
let stack: AppStack;
let db: Client;
let queue: Queue;
const userId = randomUUID();
let workflowId: string;

function event(overrides: Record<string, unknown> = {}) {
  return { ...sample, eventId: randomUUID(), executionId: randomUUID(), workflowId, ...overrides };
}

async function counts() {
  const events = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM amc_execution_events');
  const jobs = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  return { events: events.rows[0].n, jobs: Object.values(jobs).reduce((a, b) => a + b, 0) };
}

beforeAll(async () => {
  // Only the gateway: jobs stay on the queue where the test can see them.
  stack = await startAppStack(['gateway']);
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  queue = new Queue(REPORT_UPDATE_QUEUE, { connection: { url: stack.redisUrl }, prefix: stack.env.QUEUE_PREFIX });
  await stack.provisionOrganization({ instanceIds: [sample.instanceId], members: [{ userId, role: 'owner' }] });
  const api = apiClient(stack.gatewayUrl, await stack.tokenFor(userId));
  const created = await api.post('/v1/workflows', { name: 'Funnel', sqlQuery: 'SELECT 1', amcInstanceId: sample.instanceId, amcWorkflowId: sample.amcWorkflowId });
  expect(created.status).toBe(201);
  workflowId = created.body.id;
}, 90_000);

afterAll(async () => {
  await queue?.close();
  await db?.end();
  await stack?.stop();
});

describe('POST /v1/events/amc/execution-completed', () => {
  it('accepts a signed event: one event row, one report.update job keyed by the execution id', async () => {
    const body = event();
    const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body);
    expect(response).toEqual({ status: 202, body: { eventId: body.eventId, status: 'accepted', outcome: 'accepted' } });
    const job = await queue.getJob(`exec-${body.executionId}`);
    expect(job?.data).toEqual({ eventRowId: expect.any(String) });
    const row = await db.query('SELECT workflow_id, enqueued_at FROM amc_execution_events WHERE event_id = $1', [body.eventId]);
    expect(row.rows[0].workflow_id).toBe(workflowId);
    // The outbox mark is batched after the 202; it lands within a few milliseconds.
    const deadline = Date.now() + 5_000;
    let marked = row.rows[0].enqueued_at;
    while (!marked && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      marked = (await db.query('SELECT enqueued_at FROM amc_execution_events WHERE event_id = $1', [body.eventId])).rows[0].enqueued_at;
    }
    expect(marked).toBeInstanceOf(Date);
  });

  it('maps AMC\'s workflow id on the instance when our id is absent', async () => {
    const body = event({ workflowId: undefined });
    expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body)).body.outcome).toBe('accepted');
  });

  it('answers duplicate, with no second row or job, for the same event id or the same execution id', async () => {
    const body = event();
    await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body);
    const before = await counts();
    expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body)).body.status).toBe('duplicate');
    expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, { ...body, eventId: randomUUID() })).body.status).toBe('duplicate');
    expect(await counts()).toEqual(before);
  });

  it('records an event for an unknown workflow with 202 but queues no dashboard work', async () => {
    const before = await counts();
    const body = event({ workflowId: undefined, amcWorkflowId: 'nobody_knows_this_one' });
    const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body);
    expect(response).toEqual({ status: 202, body: { eventId: body.eventId, status: 'accepted', outcome: 'unknown_workflow' } });
    expect(await counts()).toEqual({ events: before.events + 1, jobs: before.jobs });
  });

  describe('rejects, leaving no trace in the database or the queue', () => {
    const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, Record<string, unknown>][] = [
      ['no signature', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event(), { headers: { 'x-amc-signature': '' } }), 401, { reason: 'missing_signature' }],
      ['a wrong secret', () => postSignedEvent(stack.gatewayUrl, 'another-secret-0123456789', event()), 401, { reason: 'signature_mismatch' }],
      ['a stale timestamp', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event(), { timestamp: Math.floor(Date.now() / 1000) - 301 }), 401, { reason: 'timestamp_out_of_tolerance' }],
      ['a body changed after signing', async () => {
        const body = event();
        const signed = JSON.stringify(body);
        const { createHmac } = await import('node:crypto');
        const t = Math.floor(Date.now() / 1000);
        const signature = createHmac('sha256', TEST_WEBHOOK_SECRET).update(`${t}.${signed}`).digest('hex');
        return postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, null, { raw: signed.replace('SUCCEEDED', 'FAILED'), headers: { 'x-amc-signature': `t=${t},v1=${signature}` } });
      }, 401, { reason: 'signature_mismatch' }],
      ['a bad status and window (naming both fields)', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event({ status: 'DONE', timeWindow: { start: 'x', end: sample.timeWindow.end } })), 400,
        { error: 'validation_failed', issues: expect.arrayContaining([expect.objectContaining({ field: 'status' }), expect.objectContaining({ field: 'timeWindow.start' })]) }],
      ['a ragged inline row', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event({ result: { format: 'rows', columns: ['a', 'b'], rows: [[1]] } })), 400,
        { issues: [expect.objectContaining({ field: 'result.rows.0' })] }],
      ['malformed JSON', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, null, { raw: '{"eventId": ' }), 400, {}],
      ['a non-JSON content type', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, event(), { headers: { 'content-type': 'text/plain' } }), 415, {}],
      ['a body over 10 MB', async () => ({ status: await postOversizedEvent(stack.gatewayUrl, 10 * 1024 * 1024 + 1), body: {} }), 413, {}],
    ];
    it.each(cases)('%s', async (_label, send, status, body) => {
      const before = await counts();
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject(body);
      expect(await counts()).toEqual(before);
    });
  });
});

describe('GET /docs', () => {
  it('serves the OpenAPI document with every route and the event body schema', async () => {
    const response = await fetch(`${stack.gatewayUrl}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, any>> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([
      '/v1/events/amc/execution-completed', '/v1/query-templates', '/v1/workflows/{id}', '/v1/reports/{id}/dashboard', '/health',
    ]));
    const operation = document.paths['/v1/events/amc/execution-completed'].post;
    const body = operation.requestBody.content['application/json'].schema;
    expect(body.properties.status.enum).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);
    // For integrators: each field described, an example, and the columns each dashboard type reads.
    expect(body.properties.timeWindow.properties.end.description).toMatch(/exclusive/);
    expect(operation.requestBody.content['application/json'].example).toMatchObject({ status: 'SUCCEEDED', result: { format: 'rows' } });
    expect(operation.description).toContain('#### funnel');
    expect(operation.description).toMatch(/\| Purchases \(`purchases`\) \| `purchases`, `conversions`/);
    expect((await fetch(`${stack.gatewayUrl}/docs`)).status).toBe(200);
  });
});
