import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Queue } from 'bullmq';
import { REPORT_UPDATE_QUEUE } from '@amc-reports/contracts';
import {
  apiClient, postSignedEvent, startAppStack, TEST_ADMIN_TOKEN, TEST_WEBHOOK_SECRET, type AppStack, type MemberApi,
} from '@amc-reports/testing';

/**
 * Organizations through the real gateway: two agencies' organizations, the three roles, the
 * squatting attack (a workflow on somebody else's AMC instance), and the operator's admin API.
 */
let stack: AppStack;
let db: Client;
let queue: Queue;
let admin: ReturnType<typeof apiClient>;
let alphaOwner: MemberApi;
let alphaEditor: ReturnType<typeof apiClient>;
let alphaViewer: ReturnType<typeof apiClient>;
let beta: MemberApi;
let alphaWorkflow: { id: string; reportConfigId: string };
const ALPHA_INSTANCE = 'amc-alpha-brand';
const BETA_INSTANCE = 'amc-beta-brand';
const ALPHA_AMC_WORKFLOW = 'weekly_funnel';

async function counts() {
  const rows = await db.query<{ workflows: number; templates: number; reports: number }>(
    'SELECT (SELECT count(*) FROM workflows)::int AS workflows, (SELECT count(*) FROM query_templates)::int AS templates, (SELECT count(*) FROM report_configurations)::int AS reports');
  return rows.rows[0];
}

beforeAll(async () => {
  stack = await startAppStack(['gateway']);
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  queue = new Queue(REPORT_UPDATE_QUEUE, { connection: { url: stack.redisUrl }, prefix: stack.env.QUEUE_PREFIX });
  admin = apiClient(stack.gatewayUrl, TEST_ADMIN_TOKEN);
  alphaOwner = await stack.memberApi({ instanceIds: [ALPHA_INSTANCE], email: 'owner@alpha.example' });
  const editorId = randomUUID();
  const viewerId = randomUUID();
  expect((await admin.put(`/admin/v1/organizations/${alphaOwner.organizationId}/members/${editorId}`, { role: 'editor' })).status).toBe(201);
  expect((await admin.put(`/admin/v1/organizations/${alphaOwner.organizationId}/members/${viewerId}`, { role: 'viewer' })).status).toBe(201);
  alphaEditor = apiClient(stack.gatewayUrl, await stack.tokenFor(editorId));
  alphaViewer = apiClient(stack.gatewayUrl, await stack.tokenFor(viewerId));
  beta = await stack.memberApi({ instanceIds: [BETA_INSTANCE] });
  const created = await alphaEditor.post('/v1/workflows', {
    name: 'Alpha funnel', sqlQuery: 'SELECT 1', amcInstanceId: ALPHA_INSTANCE, amcWorkflowId: ALPHA_AMC_WORKFLOW, reportEnabled: true,
  });
  expect(created.status).toBe(201);
  alphaWorkflow = created.body as never;
}, 120_000);

afterAll(async () => {
  await queue?.close();
  await db?.end();
  await stack?.stop();
});

describe('squatting: a workflow on another organization\'s AMC instance', () => {
  it('is refused exactly like a workflow on an instance that does not exist, and nothing is stored', async () => {
    const before = await counts();
    const onAlphas = await beta.post('/v1/workflows', { name: 'squat', sqlQuery: 'SELECT 1', amcInstanceId: ALPHA_INSTANCE, amcWorkflowId: ALPHA_AMC_WORKFLOW });
    const onNobodys = await beta.post('/v1/workflows', { name: 'squat', sqlQuery: 'SELECT 1', amcInstanceId: 'amc-never-registered', amcWorkflowId: ALPHA_AMC_WORKFLOW });
    expect(onAlphas.status).toBe(400);
    expect(onNobodys.status).toBe(onAlphas.status);
    expect(onNobodys.body).toEqual(onAlphas.body);
    expect(onAlphas.body.issues).toEqual([{ field: 'amcInstanceId', message: expect.stringMatching(/no such AMC instance in this organization/) }]);
    // Moving an existing workflow onto the instance is refused the same way.
    const betaWorkflow = await beta.post('/v1/workflows', { name: 'own', sqlQuery: 'SELECT 1', amcInstanceId: BETA_INSTANCE });
    const moved = await beta.patch(`/v1/workflows/${betaWorkflow.body.id}`, { amcInstanceId: ALPHA_INSTANCE });
    expect(moved.body).toEqual(onAlphas.body);
    await beta.delete(`/v1/workflows/${betaWorkflow.body.id}`);
    expect(await counts()).toEqual(before);
  });

  it('an event for A\'s instance and workflow reaches A\'s workflow and nothing of B\'s', async () => {
    const body = {
      eventId: randomUUID(), instanceId: ALPHA_INSTANCE, amcWorkflowId: ALPHA_AMC_WORKFLOW, executionId: randomUUID(), status: 'SUCCEEDED',
      timeWindow: { start: '2026-11-01T00:00:00Z', end: '2026-11-08T00:00:00Z' },
      result: { format: 'rows', columns: ['campaign', 'impressions'], rows: [['A', 100]] },
    };
    expect((await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, body)).body).toMatchObject({ status: 'accepted', outcome: 'accepted' });
    const row = await db.query('SELECT e.workflow_id, w.organization_id FROM amc_execution_events e JOIN workflows w ON w.id = e.workflow_id WHERE e.event_id = $1', [body.eventId]);
    expect(row.rows).toEqual([{ workflow_id: alphaWorkflow.id, organization_id: alphaOwner.organizationId }]);
    expect(await queue.getJob(`exec-${body.executionId}`)).toBeDefined();
    // B naming A's workflow id explicitly still cannot redirect it: ids only resolve on their own instance.
    const betaWorkflow = await beta.post('/v1/workflows', { name: 'b', sqlQuery: 'SELECT 1', amcInstanceId: BETA_INSTANCE, amcWorkflowId: ALPHA_AMC_WORKFLOW });
    expect(betaWorkflow.status).toBe(201);
    const redirected = { ...body, eventId: randomUUID(), executionId: randomUUID(), workflowId: betaWorkflow.body.id };
    await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, redirected);
    const routed = await db.query('SELECT workflow_id FROM amc_execution_events WHERE event_id = $1', [redirected.eventId]);
    expect(routed.rows[0].workflow_id).toBe(alphaWorkflow.id);
  });
});

describe('roles through the API', () => {
  it('viewers read everything of their organization and change nothing (403 naming their role, nothing stored)', async () => {
    const reportId = alphaWorkflow.reportConfigId;
    expect((await alphaViewer.get(`/v1/workflows/${alphaWorkflow.id}`)).status).toBe(200);
    expect((await alphaViewer.get(`/v1/reports/${reportId}`)).status).toBe(200);
    expect((await alphaViewer.get('/v1/reports')).body.items.map((r: { id: string }) => r.id)).toContain(reportId);
    const before = await counts();
    const attempts = [
      await alphaViewer.patch(`/v1/workflows/${alphaWorkflow.id}`, { name: 'renamed' }),
      await alphaViewer.delete(`/v1/workflows/${alphaWorkflow.id}`),
      await alphaViewer.patch(`/v1/reports/${reportId}`, { name: 'renamed' }),
      await alphaViewer.delete(`/v1/reports/${reportId}`),
      await alphaViewer.post('/v1/workflows', { name: 'v', sqlQuery: 'SELECT 1', amcInstanceId: ALPHA_INSTANCE }),
      await alphaViewer.post('/v1/query-templates', { name: 'v', sqlQuery: 'SELECT 1' }),
      await alphaViewer.post('/v1/reports', { workflowId: alphaWorkflow.id, dashboardType: 'funnel' }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(attempt.body).toMatchObject({ error: 'forbidden_role', message: expect.stringMatching(/your role in ".+" is viewer; only editors and owners can/) });
    }
    expect(await counts()).toEqual(before);
    expect((await alphaOwner.get(`/v1/workflows/${alphaWorkflow.id}`)).body.name).toBe('Alpha funnel');
  });

  it('editors and owners write; another organization\'s rows are 404 to them', async () => {
    expect((await alphaEditor.patch(`/v1/reports/${alphaWorkflow.reportConfigId}`, { name: 'Funnel (edited)' })).status).toBe(200);
    expect((await alphaOwner.patch(`/v1/reports/${alphaWorkflow.reportConfigId}`, { name: 'Funnel' })).status).toBe(200);
    for (const path of [`/v1/workflows/${alphaWorkflow.id}`, `/v1/reports/${alphaWorkflow.reportConfigId}`, `/v1/reports/${alphaWorkflow.reportConfigId}/dashboard`]) {
      expect([path, (await beta.get(path)).status]).toEqual([path, 404]);
    }
    expect((await beta.patch(`/v1/reports/${alphaWorkflow.reportConfigId}`, { name: 'x' })).status).toBe(404);
  });

  it('owners manage members; editors and viewers may not; the last owner cannot leave', async () => {
    const newcomer = randomUUID();
    await stack.tokenFor(newcomer).then((token) => apiClient(stack.gatewayUrl, token).get('/v1/organizations'));
    const path = `/v1/organizations/${alphaOwner.organizationId}/members/${newcomer}`;
    expect((await alphaEditor.put(path, { role: 'viewer' })).status).toBe(403);
    expect((await alphaViewer.put(path, { role: 'viewer' })).status).toBe(403);
    expect((await alphaOwner.put(path, { role: 'viewer' })).status).toBe(201);
    expect((await alphaOwner.put(path, { role: 'editor' })).status).toBe(200);
    const detail = await alphaViewer.get(`/v1/organizations/${alphaOwner.organizationId}`);
    expect(detail.body.members.find((m: { userId: string }) => m.userId === newcomer)).toMatchObject({ role: 'editor' });
    expect((await alphaOwner.delete(path)).status).toBe(204);
    const lastOwner = await alphaOwner.put(`/v1/organizations/${alphaOwner.organizationId}/members/${alphaOwner.userId}`, { role: 'editor' });
    expect(lastOwner).toMatchObject({ status: 409, body: { error: 'last_owner' } });
    expect((await alphaOwner.delete(`/v1/organizations/${alphaOwner.organizationId}/members/${alphaOwner.userId}`)).status).toBe(409);
    expect((await beta.put(path, { role: 'owner' })).status).toBe(404);
  });

  it('lists the caller\'s organizations with instances and role, and filters lists by organization and instance', async () => {
    const mine = await alphaViewer.get('/v1/organizations');
    expect(mine.body.items).toEqual([expect.objectContaining({
      id: alphaOwner.organizationId, role: 'viewer', amcInstances: [expect.objectContaining({ instanceId: ALPHA_INSTANCE })],
    })]);
    expect((await alphaViewer.get(`/v1/workflows?amcInstanceId=${ALPHA_INSTANCE}`)).body.items).toHaveLength(1);
    expect((await alphaViewer.get(`/v1/workflows?amcInstanceId=${BETA_INSTANCE}`)).body.items).toHaveLength(0);
    expect((await alphaViewer.get(`/v1/reports?organizationId=${alphaOwner.organizationId}`)).body.items).toHaveLength(1);
    const item = (await alphaViewer.get('/v1/reports')).body.items[0];
    expect(item).toMatchObject({ organizationId: alphaOwner.organizationId, amcInstanceId: ALPHA_INSTANCE });
    expect(item).not.toHaveProperty('visualizationSettings');
    expect((await alphaViewer.get('/v1/workflows')).body.items[0]).not.toHaveProperty('sqlQuery');
  });

  it('needs organizationId when the caller belongs to several organizations', async () => {
    const both = randomUUID();
    await admin.put(`/admin/v1/organizations/${alphaOwner.organizationId}/members/${both}`, { role: 'editor' });
    await admin.put(`/admin/v1/organizations/${beta.organizationId}/members/${both}`, { role: 'editor' });
    const api = apiClient(stack.gatewayUrl, await stack.tokenFor(both));
    const ambiguous = await api.post('/v1/query-templates', { name: 't', sqlQuery: 'SELECT 1' });
    expect(ambiguous).toMatchObject({ status: 400, body: { issues: [{ field: 'organizationId', message: expect.stringMatching(/belong to 2 organizations/) }] } });
    expect((await api.post('/v1/query-templates', { name: 't', sqlQuery: 'SELECT 1', organizationId: beta.organizationId })).body.organizationId).toBe(beta.organizationId);
    expect((await api.post('/v1/query-templates', { name: 't', sqlQuery: 'SELECT 1', organizationId: randomUUID() })).status).toBe(400);
  });

  it('a user in no organization sees nothing and is told who can add them', async () => {
    const loner = randomUUID();
    const api = apiClient(stack.gatewayUrl, await stack.tokenFor(loner));
    const mine = await api.get('/v1/organizations');
    expect(mine.body).toEqual({ items: [], message: expect.stringContaining(`members/${loner}`) });
    expect((await api.get('/v1/reports')).body.items).toEqual([]);
    const refused = await api.post('/v1/workflows', { name: 'w', sqlQuery: 'SELECT 1', amcInstanceId: ALPHA_INSTANCE });
    expect(refused).toMatchObject({ status: 403, body: { error: 'no_organization', message: expect.stringMatching(/Ask an owner of your organization .* or the amc-reports administrator/) } });
  });
});

describe('the admin API', () => {
  it('answers 401 without a token or with a wrong one, and 403 to a user token', async () => {
    for (const token of [null, 'wrong-admin-token-0123456789']) {
      const response = await fetch(`${stack.gatewayUrl}/admin/v1/organizations`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(response.status).toBe(401);
    }
    expect((await apiClient(stack.gatewayUrl, alphaOwner.token).get('/admin/v1/organizations')).status).toBe(403);
    expect((await apiClient(stack.gatewayUrl, alphaOwner.token).post('/admin/v1/organizations', { name: 'mine' })).status).toBe(403);
  });

  it('PUTs are idempotent: the same member and instance again change nothing and answer 200', async () => {
    const org = await admin.post('/admin/v1/organizations', { name: 'Idempotent agency' });
    expect(org.status).toBe(201);
    const userId = randomUUID();
    const member = `/admin/v1/organizations/${org.body.id}/members/${userId}`;
    expect((await admin.put(member, { role: 'viewer' })).status).toBe(201);
    expect((await admin.put(member, { role: 'viewer' })).status).toBe(200);
    const instance = `/admin/v1/organizations/${org.body.id}/amc-instances/amc-idempotent`;
    expect((await admin.put(instance, { name: 'Brand', marketplace: 'DE' })).status).toBe(201);
    const again = await admin.put(instance, {});
    expect(again).toMatchObject({ status: 200, body: { instanceId: 'amc-idempotent', name: 'Brand', marketplace: 'DE' } });
    const detail = await admin.get(`/admin/v1/organizations/${org.body.id}`);
    expect(detail.body).toMatchObject({ memberCount: 1, amcInstanceCount: 1 });
    expect((await admin.get('/admin/v1/organizations?limit=100')).body.items.map((o: { id: string }) => o.id)).toContain(org.body.id);
  });

  it('an instance owned by another organization is a 409, and an instance in use cannot be removed', async () => {
    const squatter = await admin.post('/admin/v1/organizations', { name: 'Squatter' });
    const claim = await admin.put(`/admin/v1/organizations/${squatter.body.id}/amc-instances/${ALPHA_INSTANCE}`, { name: 'mine now' });
    expect(claim).toMatchObject({ status: 409, body: { error: 'instance_owned_elsewhere' } });
    const owner = await db.query('SELECT organization_id, name FROM amc_instances WHERE instance_id = $1', [ALPHA_INSTANCE]);
    expect(owner.rows[0]).toEqual({ organization_id: alphaOwner.organizationId, name: ALPHA_INSTANCE });
    const inUse = await admin.delete(`/admin/v1/organizations/${alphaOwner.organizationId}/amc-instances/${ALPHA_INSTANCE}`);
    expect(inUse).toMatchObject({ status: 409, body: { error: 'instance_in_use' } });
    expect((await admin.delete(`/admin/v1/organizations/${squatter.body.id}/amc-instances/${ALPHA_INSTANCE}`)).status).toBe(404);
  });

  it('two organizations claiming one new instance at the same moment: exactly one wins', async () => {
    const [first, second] = await Promise.all([admin.post('/admin/v1/organizations', { name: 'Race 1' }), admin.post('/admin/v1/organizations', { name: 'Race 2' })]);
    const results = await Promise.all([first, second].map((org) => admin.put(`/admin/v1/organizations/${org.body.id}/amc-instances/amc-race`, {})));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('validates its input: 400 naming the field, 404 for unknown organizations', async () => {
    expect((await admin.post('/admin/v1/organizations', { name: '' })).body.issues[0].field).toBe('name');
    expect((await admin.post('/admin/v1/organizations', { name: 'x', extra: 1 })).status).toBe(400);
    const unknown = randomUUID();
    expect((await admin.get(`/admin/v1/organizations/${unknown}`)).status).toBe(404);
    expect((await admin.put(`/admin/v1/organizations/${unknown}/members/${randomUUID()}`, { role: 'viewer' })).status).toBe(404);
    expect((await admin.put(`/admin/v1/organizations/${alphaOwner.organizationId}/members/${randomUUID()}`, { role: 'admin' })).body.issues[0].field).toBe('role');
  });
});
