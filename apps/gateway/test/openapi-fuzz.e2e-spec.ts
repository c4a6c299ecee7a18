import { randomUUID } from 'node:crypto';
import { api } from '@amc-reports/contracts';
import { buildSignatureHeader } from '@amc-reports/contracts/src/amc-signature';
import {
  checkResponse, postSignedEvent, seededRandom, startAppStack, TEST_ADMIN_TOKEN, TEST_WEBHOOK_SECRET, type AppStack, type MemberApi,
} from '@amc-reports/testing';
import { HOSTILE_TEXT, sampleInvalid, sampleValid, uuid, type Random } from '@amc-reports/testing/src/json-schema-sample';

/**
 * A bounded, seeded fuzz of the whole API generated from its OpenAPI document: for every
 * operation, requests with valid and broken parameters, bodies and credentials, against a
 * gateway holding real rows of two organizations. No answer may be a 5xx, and every answer must
 * be one the document describes (status and body). FUZZ_SEED and FUZZ_REQUESTS override.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const INSTANCE = 'amc-fuzz-brand';

let stack: AppStack;
let owner: MemberApi;
let viewer: string;
let outsider: string;
const known: Record<string, string[]> = { id: [], orgId: [], userId: [], instanceId: [INSTANCE, 'amc-unknown'] };

beforeAll(async () => {
  stack = await startAppStack(['gateway']);
  owner = await stack.memberApi({ instanceIds: [INSTANCE] });
  const viewerId = randomUUID();
  await stack.provisionOrganization({ instanceIds: ['amc-fuzz-other'], members: [{ userId: viewerId, role: 'viewer' }] });
  viewer = await stack.tokenFor(viewerId);
  outsider = await stack.tokenFor(randomUUID());
  const template = await owner.post('/v1/query-templates', { name: 'Fuzz template', sqlQuery: 'SELECT 1', defaultDashboardType: 'funnel' });
  const workflow = await owner.post('/v1/workflows', {
    name: 'Fuzz workflow', sqlQuery: 'SELECT 1', amcInstanceId: INSTANCE, amcWorkflowId: 'fuzz_wf', queryTemplateId: template.body.id, reportEnabled: true,
  });
  await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, {
    eventId: randomUUID(), instanceId: INSTANCE, workflowId: workflow.body.id, executionId: randomUUID(), status: 'SUCCEEDED',
    timeWindow: { start: '2026-11-01T00:00:00Z', end: '2026-11-08T00:00:00Z' },
    result: { format: 'rows', columns: ['campaign', 'impressions', 'clicks'], rows: [['A', 100, 3]] },
  });
  known.id.push(template.body.id, workflow.body.id, workflow.body.reportConfigId);
  known.orgId.push(owner.organizationId);
  known.userId.push(owner.userId, viewerId);
}, 120_000);

afterAll(async () => stack?.stop());

interface Operation {
  method: string;
  path: string;
  id: string;
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: Record<string, unknown> }[];
  body?: Record<string, unknown>;
  security?: Record<string, string[]>[];
}

function operations(): Operation[] {
  const document = api.buildOpenApiDocument();
  return Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({
    method, path, id: operation.operationId, parameters: (operation.parameters ?? []) as Operation['parameters'], security: operation.security,
    body: operation.requestBody?.content['application/json']?.schema as Record<string, unknown> | undefined,
  })));
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

function pathValue(name: string, random: Random): string {
  const roll = random();
  const pool = known[name] ?? known.id;
  if (roll < 0.5 && pool.length) return pick(random, pool);
  if (roll < 0.8) return uuid(random);
  const text = pick(random, [...HOSTILE_TEXT.filter(Boolean), 'null', '0', '..%2F..']);
  // A lone surrogate has no UTF-8 form: send the bytes a broken client would (an invalid sequence).
  return api.unstorableTextProblem(text)?.includes('surrogate') ? '%ED%A0%80' : encodeURIComponent(text);
}

function credentials(operation: Operation, random: Random): string | undefined {
  const scheme = Object.keys(operation.security?.[0] ?? {})[0];
  const roll = random();
  if (roll < 0.08) return undefined;
  if (roll < 0.14) return pick(random, ['Bearer garbage', 'Basic dXNlcjpwYXNz', `Bearer ${owner.token}x`, 'Bearer a.b.c']);
  if (scheme === 'adminToken') return roll < 0.8 ? `Bearer ${TEST_ADMIN_TOKEN}` : `Bearer ${owner.token}`;
  return `Bearer ${roll < 0.6 ? owner.token : roll < 0.8 ? viewer : outsider}`;
}

interface Sent {
  method: string;
  url: string;
  status: number;
  contentType: string | null;
  body: unknown;
}

async function send(operation: Operation, random: Random): Promise<Sent> {
  let path = operation.path;
  const query = new URLSearchParams();
  for (const parameter of operation.parameters) {
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, pathValue(parameter.name, random));
    else if (parameter.name !== 'access_token' && (parameter.required || random() < 0.4)) {
      const value = random() < 0.75 ? sampleValid(parameter.schema, random) : sampleInvalid(parameter.schema, random);
      query.set(parameter.name, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
  }
  if (random() < 0.05) query.set(`unknown_${Math.floor(random() * 9)}`, pick(random, HOSTILE_TEXT));
  const url = `${path}${query.size ? `?${query}` : ''}`;
  const headers: Record<string, string> = {};
  let body: string | undefined;
  if (operation.body) {
    const value = random() < 0.5 ? sampleValid(operation.body, random) : sampleInvalid(operation.body, random);
    body = random() < 0.03 ? '{"truncated": ' : JSON.stringify(value);
    headers['content-type'] = random() < 0.03 ? 'text/plain' : 'application/json';
  }
  if (operation.security?.[0]?.amcSignature) {
    headers['x-amc-signature'] = random() < 0.7 ? buildSignatureHeader(TEST_WEBHOOK_SECRET, body ?? '') : 't=1,v1=00';
  } else {
    const authorization = credentials(operation, random);
    if (authorization) headers.authorization = authorization;
  }
  const controller = new AbortController();
  const response = await fetch(`${stack.gatewayUrl}${url}`, { method: operation.method.toUpperCase(), headers, body, signal: controller.signal });
  const contentType = response.headers.get('content-type');
  // An open event stream or a file: the status and headers are the answer.
  if (contentType?.includes('text/event-stream') || !contentType?.includes('json')) {
    controller.abort();
    return { method: operation.method, url, status: response.status, contentType, body: null };
  }
  const text = await response.text();
  return { method: operation.method, url, status: response.status, contentType, body: text ? JSON.parse(text) : null };
}

it(`answers ${REQUESTS} generated requests (seed ${SEED}) with no 5xx and nothing outside the document`, async () => {
  const random = seededRandom(SEED);
  const all = operations();
  // Deletions last, so the rows the other operations probe still exist for most of the run.
  const ordered = [...all.filter((o) => o.method !== 'delete'), ...all.filter((o) => o.method === 'delete')];
  const perOperation = Math.ceil(REQUESTS / ordered.length);
  const problems: string[] = [];
  const statuses = new Map<number, number>();
  for (const operation of ordered) {
    for (let i = 0; i < perOperation; i++) {
      const sent = await send(operation, random);
      statuses.set(sent.status, (statuses.get(sent.status) ?? 0) + 1);
      const url = sent.url.length > 160 ? `${sent.url.slice(0, 160)}…` : sent.url;
      if (sent.status >= 500) problems.push(`${operation.id}: ${sent.method} ${url} answered ${sent.status}: ${JSON.stringify(sent.body).slice(0, 300)}`);
      const problem = checkResponse(sent.method, sent.url, sent.status, sent.contentType, sent.body ?? {});
      if (problem) problems.push(`${problem.operation} ${sent.method} ${url}: ${problem.problem.slice(0, 300)}`);
    }
  }
  // The run reached well past the front door: successes, refusals of every kind.
  expect([...statuses.keys()].filter((status) => status < 300).length).toBeGreaterThanOrEqual(3);
  for (const status of [400, 401, 403, 404]) expect([status, (statuses.get(status) ?? 0) > 0]).toEqual([status, true]);
  expect(statuses.get(400)).toBeGreaterThan(50);
  expect(problems.slice(0, 20)).toEqual([]);
  // The gateway is still up and answers a plain request.
  expect((await owner.get('/v1/organizations')).status).toBe(200);
}, 300_000);
