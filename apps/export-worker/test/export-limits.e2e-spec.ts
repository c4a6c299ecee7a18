import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { apiClient, startAppStack, TEST_ADMIN_TOKEN, type AppStack, type MemberApi } from '@amc-reports/testing';
import { inlineResult, weekWindow } from '../../report-service/test/amc-results';
import { createReport, deliverExecution, ExportEventLog } from './export-e2e';

/**
 * Export caps of issue 10: in flight per user and per organization, hourly rate limits per user
 * and per organization (Redis-backed), a storage quota per organization, and fairness — one
 * organization's burst queues behind another organization's first export. Every refusal is a
 * 429 with Retry-After that writes nothing. One export renders at a time (EXPORT_CONCURRENCY=1),
 * so the order the worker takes jobs in is what the test observes.
 */
const LIMITS = {
  EXPORT_CONCURRENCY: '1', EXPORTS_IN_FLIGHT_PER_USER: '3', EXPORTS_IN_FLIGHT_PER_ORGANIZATION: '5',
  EXPORTS_PER_HOUR_PER_USER: '3', EXPORTS_PER_HOUR_PER_ORGANIZATION: '5', EXPORT_STORAGE_QUOTA_BYTES_PER_ORGANIZATION: '10000000',
};
let stack: AppStack;
let db: Client;
let events: ExportEventLog;

interface Tenant {
  users: MemberApi[];
  reportId: string;
}

async function tenant(label: string, members = 1): Promise<Tenant> {
  const instanceId = `amc-${label}`;
  const first = await stack.memberApi({ instanceIds: [instanceId] });
  const users = [first];
  const admin = apiClient(stack.gatewayUrl, TEST_ADMIN_TOKEN);
  for (let i = 1; i < members; i++) {
    const userId = randomUUID();
    // Viewers may export: a file is a way of reading.
    expect((await admin.put(`/admin/v1/organizations/${first.organizationId}/members/${userId}`, { role: 'viewer' })).status).toBe(201);
    const token = await stack.tokenFor(userId);
    users.push({ ...apiClient(stack.gatewayUrl, token), userId, organizationId: first.organizationId, token });
  }
  const { reportId, workflowId } = await createReport(first, { dashboardType: 'performance', amcWorkflowId: `wf_${label}`, name: `${label} report`, instanceId });
  await deliverExecution(stack, reportId, { workflowId, instanceId, status: 'SUCCEEDED', timeWindow: weekWindow(1), result: inlineResult('performance_daily.csv') });
  return { users, reportId };
}

async function exportRows(): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM report_exports')).rows[0].n;
}

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service', 'export-worker'], LIMITS);
  db = new Client({ connectionString: stack.database.url });
  await db.connect();
  events = await ExportEventLog.open(stack.redisUrl);
}, 180_000);

afterAll(async () => {
  events?.close();
  await db?.end();
  await stack?.stop();
});

it('queues one organization\'s burst behind another organization\'s first export, and caps the burst per user and per organization', async () => {
  const alpha = await tenant('alpha', 2);
  const beta = await tenant('beta');
  const [a1, a2] = alpha.users;
  await stack.apps.get('export-worker')!.stop();

  const ask = (user: MemberApi, reportId: string) => user.post(`/v1/reports/${reportId}/exports`, { format: 'pdf', scope: 'dashboard' });
  const burst = [];
  for (let i = 0; i < 3; i++) burst.push(await ask(a1, alpha.reportId));
  const userCapped = await ask(a1, alpha.reportId);
  for (let i = 0; i < 2; i++) burst.push(await ask(a2, alpha.reportId));
  const before = await exportRows();
  const organizationCapped = await ask(a2, alpha.reportId);
  expect(burst.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
  expect(userCapped).toMatchObject({ status: 429, body: { error: 'too_many_exports', message: expect.stringMatching(/3 of your exports/) } });
  expect(organizationCapped).toMatchObject({ status: 429, body: { error: 'too_many_exports', message: expect.stringMatching(/5 exports of your organization/) } });
  expect(Number(organizationCapped.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await exportRows()).toBe(before);

  const betaFirst = await ask(beta.users[0], beta.reportId);
  expect(betaFirst.status).toBe(202);
  await stack.restart('export-worker');
  for (const response of [...burst, betaFirst]) await events.finished(response.body.id as string, 120_000);

  const order = await db.query<{ id: string }>('SELECT id FROM report_exports WHERE id = ANY($1) ORDER BY completed_at', [[...burst, betaFirst].map((r) => r.body.id)]);
  const position = order.rows.findIndex((row) => row.id === betaFirst.body.id);
  // Alpha's first export and beta's share the top priority (FIFO between them); alpha's other four wait.
  expect(position).toBeLessThanOrEqual(1);
}, 240_000);

it('limits exports per rolling hour per user and per organization; refused requests cost nothing', async () => {
  const gamma = await tenant('gamma', 2);
  const [g1, g2] = gamma.users;
  const csv = (user: MemberApi) => user.post(`/v1/reports/${gamma.reportId}/exports`, { format: 'csv', scope: 'dashboard' });
  // A bad request is a 400 and does not use up the hour's budget.
  for (let i = 0; i < 3; i++) expect((await g1.post(`/v1/reports/${gamma.reportId}/exports`, { format: 'docx' })).status).toBe(400);
  for (let i = 0; i < 3; i++) {
    const response = await csv(g1);
    expect(response.status).toBe(202);
    await events.finished(response.body.id as string);
  }
  const perUser = await csv(g1);
  expect(perUser).toMatchObject({ status: 429, body: { error: 'rate_limited', message: expect.stringMatching(/you requested 3 exports in the last hour/) } });
  expect(Number(perUser.headers.get('retry-after'))).toBeGreaterThan(3000);
  for (let i = 0; i < 2; i++) await events.finished((await csv(g2)).body.id as string);
  const perOrganization = await csv(g2);
  expect(perOrganization).toMatchObject({ status: 429, body: { error: 'rate_limited', message: expect.stringMatching(/your organization requested 5 exports/) } });
  // The user refused by the organization's limit kept their own budget: they were given back their point.
  const remaining = await db.query('SELECT count(*)::int AS n FROM report_exports WHERE user_id = $1', [g2.userId]);
  expect(remaining.rows[0].n).toBe(2);
}, 240_000);

it('refuses new exports while the organization\'s stored files fill its quota, saying when space frees up', async () => {
  const delta = await tenant('delta');
  const [owner] = delta.users;
  const expiresAt = new Date(Date.now() + 2 * 3600_000);
  await db.query(`INSERT INTO report_exports (report_configuration_id, user_id, format, status) VALUES ($1, $2, 'pdf', 'pending')`, [delta.reportId, owner.userId]);
  await db.query(`UPDATE report_exports SET status = 'processing' WHERE report_configuration_id = $1`, [delta.reportId]);
  await db.query(`UPDATE report_exports SET status = 'completed', file_size_bytes = 10000000, expires_at = $2, completed_at = now(),
    storage_key = 'seeded', sha256 = repeat('0', 64) WHERE report_configuration_id = $1`, [delta.reportId, expiresAt]);
  const before = await exportRows();
  const refused = await owner.post(`/v1/reports/${delta.reportId}/exports`, { format: 'csv' });
  expect(refused).toMatchObject({ status: 429, body: { error: 'storage_quota_exceeded' } });
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(7000);
  expect(retryAfter).toBeLessThanOrEqual(7200);
  expect(await exportRows()).toBe(before);
}, 120_000);
