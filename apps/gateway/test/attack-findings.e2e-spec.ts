import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { request as httpRequest } from 'node:http';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { Queue } from 'bullmq';
import { REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import { buildSignatureHeader } from '@amc-reports/contracts/src/amc-signature';
import {
  apiClient, postSignedEvent, startAppStack, TEST_JWT_SECRET, TEST_WEBHOOK_SECRET, type AppStack, type MemberApi,
} from '@amc-reports/testing';

/**
 * The holes found by the attack of issue 10, each sent again and each answered with a 4xx that
 * names the field, leaving no row and no job behind. (Worker-side findings live with the workers:
 * apps/report-service/test/hostile-events.e2e-spec.ts, the insight wording and export renderer specs.)
 */
const sample = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'events', 'succeeded_inline_rows.json'), 'utf8'));
let stack: AppStack;
let db: Client;
let queue: Queue;
let member: MemberApi;
let workflowId: string;
let reportId: string;

async function traces() {
  const rows = await db.query<Record<string, number>>(`SELECT
    (SELECT count(*) FROM amc_execution_events)::int AS events, (SELECT count(*) FROM workflows)::int AS workflows,
    (SELECT count(*) FROM query_templates)::int AS templates, (SELECT count(*) FROM report_configurations)::int AS reports,
    (SELECT count(*) FROM users)::int AS users`);
  const jobs = await queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  return { ...rows.rows[0], jobs: Object.values(jobs).reduce((a, b) => a + b, 0) };
}

/** Raw bytes to the webhook, correctly signed: what only the JSON layer may refuse. */
function postRawEvent(raw: Buffer): Promise<{ status: number; body: Record<string, any> }> {
  const t = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.gatewayUrl}/v1/events/amc/execution-completed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(raw.length), 'x-amc-signature': buildSignatureHeader(TEST_WEBHOOK_SECRET, raw.toString('latin1'), t) },
    }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
    req.end(raw);
  });
}

const sign = (claims: Record<string, unknown>, sub = randomUUID()) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).sign(new TextEncoder().encode(TEST_JWT_SECRET));
const now = (): number => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  stack = await startAppStack(['gateway'], { LOG_LEVEL: 'info' });
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  queue = new Queue(REPORT_UPDATE_QUEUE, { connection: { url: stack.redisUrl }, prefix: stack.env.QUEUE_PREFIX });
  member = await stack.memberApi({ instanceIds: [sample.instanceId], email: 'analyst@example.com' });
  const workflow = await member.post('/v1/workflows', { name: 'Funnel', sqlQuery: 'SELECT 1', amcInstanceId: sample.instanceId, reportEnabled: true });
  workflowId = workflow.body.id;
  reportId = workflow.body.reportConfigId;
}, 120_000);

afterAll(async () => {
  await queue?.close();
  await db?.end();
  await stack?.stop();
});

it('accepts ?access_token= only on the events stream; everywhere else it is a 401', async () => {
  const url = `${stack.gatewayUrl}/v1/reports/${reportId}`;
  const refused = await fetch(`${url}?access_token=${member.token}`);
  expect(refused.status).toBe(401);
  expect(await refused.json()).toMatchObject({ reason: 'token_in_url' });
  const controller = new AbortController();
  const stream = await fetch(`${url}/events?access_token=${member.token}`, { signal: controller.signal });
  expect(stream.status).toBe(200);
  expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
  controller.abort();
});

it('registers a second user whose token carries an e-mail another user holds: 2xx, e-mail not stored', async () => {
  const second = randomUUID();
  const api = apiClient(stack.gatewayUrl, await stack.tokenFor(second, 'analyst@example.com'));
  expect((await api.get('/v1/organizations')).status).toBe(200);
  expect((await api.get('/v1/reports')).status).toBe(200);
  const rows = await db.query('SELECT id, email FROM users WHERE id = ANY($1) ORDER BY email NULLS LAST', [[member.userId, second]]);
  expect(rows.rows).toEqual([{ id: member.userId, email: 'analyst@example.com' }, { id: second, email: null }]);
});

describe('NUL characters and lone surrogates: 400 naming the field, nothing stored or queued', () => {
  const cases: [string, () => Promise<{ status: number; body: Record<string, any> }>, string][] = [
    ['a workflow name', () => member.post('/v1/workflows', { name: 'Fun\u0000nel', sqlQuery: 'SELECT 1', amcInstanceId: sample.instanceId }), 'name'],
    ['a template SQL', () => member.post('/v1/query-templates', { name: 't', sqlQuery: 'SELECT \ud800' }), 'sqlQuery'],
    ['a report setting value', () => member.patch(`/v1/reports/${reportId}`, { visualizationSettings: { hiddenViews: ['a\u0000'] } }), 'visualizationSettings.hiddenViews.0'],
    ['a report setting key', () => member.patch(`/v1/reports/${reportId}`, { dataAggregationSettings: { 'x\udc00': 1 } }), 'dataAggregationSettings.x\udc00'],
    ['a query parameter', () => member.get('/v1/workflows?amcInstanceId=a%00b'), 'amcInstanceId'],
    ['a webhook field', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, { ...sample, eventId: randomUUID(), executionId: 'ex\u0000ec', workflowId }), 'executionId'],
    ['a webhook cell', () => postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, {
      ...sample, eventId: randomUUID(), executionId: randomUUID(), workflowId, result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['Brand\ud83d', 10]] },
    }), 'result.rows.0.0'],
  ];
  it.each(cases)('in %s', async (_label, send, field) => {
    const before = await traces();
    const response = await send();
    expect(response.status).toBe(400);
    expect(response.body.issues).toEqual([{ field, message: expect.stringMatching(/NUL character|lone UTF-16 surrogate/) }]);
    expect(await traces()).toEqual(before);
  });
});

describe('the webhook body', () => {
  it('refuses bytes that are not UTF-8 with a 400 (never a silent U+FFFD)', async () => {
    const before = await traces();
    const raw = Buffer.concat([Buffer.from(JSON.stringify({ ...sample, eventId: randomUUID(), workflowId }).slice(0, -1)), Buffer.from(',"note":"\xff\xfe"}', 'latin1')]);
    const response = await postRawEvent(raw);
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: '(body)', message: 'is not valid UTF-8' }] } });
    expect(await traces()).toEqual(before);
  });

  it('names a __proto__ key wherever it is', async () => {
    const raw = Buffer.from(`{"eventId":"${randomUUID()}","result":{"__proto__":{"polluted":true}}}`);
    const response = await postRawEvent(raw);
    expect(response).toMatchObject({ status: 400, body: { issues: [{ field: 'result.__proto__', message: expect.stringMatching(/"__proto__" is not allowed/) }] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('body limits per route', () => {
  it('user routes take 256 KB: a bigger body is a 413 before anything is read or stored', async () => {
    const before = await traces();
    const response = await member.post('/v1/query-templates', { name: 'big', sqlQuery: 'x'.repeat(300 * 1024) });
    expect(response).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
    expect(await traces()).toEqual(before);
  });

  it('the webhook still takes a 1 MB event', async () => {
    const rows = Array.from({ length: 25_000 }, (_, i) => [`Campaign ${i} ${'x'.repeat(30)}`, i]);
    const body = { ...sample, eventId: randomUUID(), executionId: randomUUID(), workflowId, result: { format: 'rows', columns: ['campaign', 'impressions'], rows } };
    expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);
    expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body)).status).toBe(202);
  });

  it('caps report settings in size and count, naming the limit', async () => {
    const huge = await member.patch(`/v1/reports/${reportId}`, { visualizationSettings: { note: 'x'.repeat(70 * 1024) } });
    expect(huge).toMatchObject({ status: 400, body: { issues: [{ field: 'visualizationSettings', message: expect.stringMatching(/at most 65536 bytes/) }] } });
    const many = await member.patch(`/v1/reports/${reportId}`, { visualizationSettings: { hiddenViews: Array.from({ length: 51 }, (_, i) => `v${i}`) } });
    expect(many).toMatchObject({ status: 400, body: { issues: [{ field: 'visualizationSettings.hiddenViews', message: expect.stringMatching(/50/) }] } });
    expect((await member.get(`/v1/reports/${reportId}`)).body.visualizationSettings).toEqual({});
  });
});

describe('tokens', () => {
  it.each([
    ['without exp', () => sign({ iat: now() }), 'invalid_lifetime'],
    ['living 48 hours', () => sign({ iat: now(), exp: now() + 48 * 3600 }), 'invalid_lifetime'],
    ['issued in the future', () => sign({ iat: now() + 3600, exp: now() + 7200 }), 'invalid_lifetime'],
    ['for the nil UUID', () => sign({ exp: now() + 60 }, '00000000-0000-0000-0000-000000000000'), 'invalid_subject'],
  ])('refuses a token %s', async (_label, make, reason) => {
    const response = await fetch(`${stack.gatewayUrl}/v1/organizations`, { headers: { authorization: `Bearer ${await make()}` } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ reason });
  });

  it.each(['bearer', 'BEARER', 'Bearer'])('matches the %s scheme case-insensitively', async (scheme) => {
    const response = await fetch(`${stack.gatewayUrl}/v1/organizations`, { headers: { authorization: `${scheme} ${member.token}` } });
    expect(response.status).toBe(200);
  });
});

it('logs a client that hangs up mid-request at debug, never as an error', async () => {
  const before = stack.apps.get('gateway')!.output().length;
  await new Promise<void>((resolve) => {
    const req = httpRequest(`${stack.gatewayUrl}/v1/query-templates`, {
      method: 'POST', headers: { authorization: `Bearer ${member.token}`, 'content-type': 'application/json', 'content-length': '5000' },
    });
    req.on('error', () => resolve());
    req.write('{"name":"half');
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 200);
  });
  // The gateway keeps serving; its log gained no error line for the abort.
  expect((await member.get('/v1/organizations')).status).toBe(200);
  const lines = stack.apps.get('gateway')!.output().slice(before).split('\n').filter((line) => line.startsWith('{'));
  expect(lines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
});
