import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { DELIVERY_QUEUE, verifyAmcSignature } from '@amc-reports/contracts';
import { createPrismaClient, type PrismaClient } from '@amc-reports/db';
import { producerConnectionOptions } from '@amc-reports/queue';
import {
  apiClient, startAppStack, TEST_ADMIN_TOKEN, startLocalHttpReceiver, startLocalSmtpServer, type AppStack, type LocalHttpReceiver, type LocalSmtpServer,
  type MemberApi,
} from '@amc-reports/testing';
import { DEMO_COLUMNS, demoWeek, demoWindow } from '../../../scripts/lib/demo-history';
import { createReport, deliverExecution, waitUntil } from './export-e2e';

/**
 * Subscriptions, deliveries and share links through the real gateway, report service, insight
 * worker and export worker, with a real SMTP server and HTTP receivers on 127.0.0.1: what an
 * agency sets up for a client, end to end.
 */
const INSTANCE = 'amcdelivery01';
let stack: AppStack;
let smtp: LocalSmtpServer;
let hooks: LocalHttpReceiver;
let owner: MemberApi;
let viewer: ReturnType<typeof apiClient>;
let outsider: MemberApi;
let reportId: string;
let workflowId: string;
let prisma: PrismaClient;

const week = (n: number) => ({
  instanceId: INSTANCE, workflowId, amcWorkflowId: 'delivery_funnel', executionId: `delivery-week-${n}-${randomUUID().slice(0, 6)}`,
  status: 'SUCCEEDED', timeWindow: demoWindow(n), result: { format: 'rows', columns: DEMO_COLUMNS, rows: demoWeek(n) },
});

beforeAll(async () => {
  [smtp, hooks] = await Promise.all([startLocalSmtpServer(), startLocalHttpReceiver()]);
  stack = await startAppStack(['gateway', 'report-service', 'insight-worker', 'export-worker'], {
    SMTP_URL: smtp.url, OUTBOUND_ALLOWLIST: hooks.host, SLACK_WEBHOOK_HOSTS: hooks.host, DELIVERY_RETRY_BASE_MS: '100',
    DELIVERY_MIN_INTERVAL_SECONDS: '60', PUBLIC_URL: 'http://reports.test',
  });
  stack.env.PUBLIC_URL = 'http://reports.test';
  owner = await stack.memberApi({ instanceIds: [INSTANCE], email: 'owner@agency.test' });
  const viewerId = randomUUID();
  const admin = apiClient(stack.gatewayUrl, TEST_ADMIN_TOKEN);
  expect((await admin.put(`/admin/v1/organizations/${owner.organizationId}/members/${viewerId}`, { role: 'viewer' })).status).toBe(201);
  viewer = apiClient(stack.gatewayUrl, await stack.tokenFor(viewerId));
  outsider = await stack.memberApi({ instanceIds: ['amcdelivery-other'] });
  ({ reportId, workflowId } = await createReport(owner, { dashboardType: 'funnel', amcWorkflowId: 'delivery_funnel', name: 'Client funnel', instanceId: INSTANCE }));
  prisma = createPrismaClient({ databaseUrl: stack.database.url, poolSize: 2 });
}, 120_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await stack?.stop();
  await Promise.all([smtp?.close(), hooks?.close()]);
});

const deliveriesOf = async (subscriptionId: string) =>
  (await owner.get(`/v1/reports/${reportId}/deliveries?subscriptionId=${subscriptionId}`)).body.items as Record<string, any>[];

describe('subscriptions', () => {
  it('refuses what could never be delivered, naming the field', async () => {
    const base = { formats: ['pdf'], trigger: { type: 'after_execution' } };
    const cases: [unknown, string, RegExp][] = [
      [{ ...base, channel: { type: 'webhook', url: 'https://10.0.0.8/hook' } }, 'channel.url', /10\.0\.0\.8 is a private/],
      [{ ...base, channel: { type: 'webhook', url: 'http://hooks.example.com/x' } }, 'channel.url', /must be https/],
      [{ ...base, channel: { type: 'slack', webhookUrl: 'https://example.com/services/x' } }, 'channel.webhookUrl', /Slack incoming-webhook URL/],
      [{ ...base, channel: { type: 'email', recipients: ['not-an-address'] } }, 'channel.recipients.0', /email/i],
      [{ ...base, formats: ['pdf', 'link'], channel: { type: 'email', recipients: ['a@b.test'] } }, 'formats', /links only/],
      [{ ...base, channel: { type: 'email', recipients: ['a@b.test'] }, trigger: { type: 'schedule', cron: '* * * * * *', timeZone: 'UTC' } }, 'trigger.cron', /every 1 s; the shortest schedule allowed is every 60 s/],
      [{ ...base, channel: { type: 'email', recipients: ['a@b.test'] }, trigger: { type: 'schedule', cron: '0 8 * * MON', timeZone: 'Mars/Olympus' } }, 'trigger.timeZone', /IANA/],
      [{ ...base, channel: { type: 'email', recipients: ['a@b.test'] }, conditions: [{ type: 'metric', expression: 'ROAS is low' }] }, 'conditions.0.expression', /threshold such as/],
    ];
    for (const [body, field, message] of cases) {
      const answer = await owner.post(`/v1/reports/${reportId}/subscriptions`, body);
      expect([field, answer.status]).toEqual([field, 400]);
      expect(answer.body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]));
    }
    expect(await prisma.reportSubscription.count()).toBe(0);
  });

  it('lets viewers read subscriptions but not change them; other organizations see nothing', async () => {
    const created = await owner.post(`/v1/reports/${reportId}/subscriptions`, {
      name: 'Monday digest', channel: { type: 'email', recipients: ['digest@client.test'] }, formats: ['link'],
      trigger: { type: 'schedule', cron: '0 8 * * MON', timeZone: 'Europe/Berlin' },
    });
    expect(created.status).toBe(201);
    expect(created.body.nextRunAt).toMatch(/T0[67]:00:00\.000Z$/);
    const id = created.body.id as string;
    const scheduler = new Queue(DELIVERY_QUEUE, { connection: producerConnectionOptions(stack.redisUrl), prefix: stack.env.QUEUE_PREFIX });
    try {
      expect(await scheduler.getJobScheduler(`sub-${id}`)).toMatchObject({ pattern: '0 8 * * MON', tz: 'Europe/Berlin' });
      const listed = await viewer.get(`/v1/reports/${reportId}/subscriptions`);
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(id);
      expect((await viewer.patch(`/v1/reports/${reportId}/subscriptions/${id}`, { enabled: false })).status).toBe(403);
      expect((await viewer.post(`/v1/reports/${reportId}/subscriptions/${id}/deliveries`, {})).status).toBe(403);
      expect((await viewer.delete(`/v1/reports/${reportId}/subscriptions/${id}`)).status).toBe(403);
      expect((await viewer.get(`/v1/reports/${reportId}/deliveries`)).status).toBe(200);
      expect((await outsider.get(`/v1/reports/${reportId}/subscriptions`)).status).toBe(404);
      expect((await outsider.delete(`/v1/reports/${reportId}/subscriptions/${id}`)).status).toBe(404);
      expect((await owner.delete(`/v1/reports/${reportId}/subscriptions/${id}`)).status).toBe(204);
      expect(await scheduler.getJobScheduler(`sub-${id}`)).toBeUndefined();
    } finally {
      await scheduler.close();
    }
  });

  it('delivers after an execution once its insights and exports are done: mail with attachments, a signed webhook, Slack', async () => {
    const mail = await owner.post(`/v1/reports/${reportId}/subscriptions`, {
      channel: { type: 'email', recipients: ['client@client.test'] }, formats: ['pdf', 'csv'], trigger: { type: 'after_execution' },
    });
    const hook = await owner.post(`/v1/reports/${reportId}/subscriptions`, {
      channel: { type: 'webhook', url: `${hooks.url}/client-hook` }, formats: ['pdf'], trigger: { type: 'after_execution' },
    });
    const slack = await owner.post(`/v1/reports/${reportId}/subscriptions`, {
      channel: { type: 'slack', webhookUrl: `${hooks.url}/services/T0/B0/secret-part` }, formats: ['link'], trigger: { type: 'after_execution' },
    });
    expect([mail.status, hook.status, slack.status]).toEqual([201, 201, 201]);
    const secret = hook.body.webhookSecret as string;
    expect(secret).toMatch(/^whsec_[0-9a-f]{48}$/);
    expect(slack.body.channel).toEqual({ type: 'slack', webhookUrl: `${hooks.url}/services/…` });
    const listed = await owner.get(`/v1/reports/${reportId}/subscriptions`);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain('secret-part');

    await deliverExecution(stack, reportId, week(1));
    const [message] = await smtp.waitForMessages(1, { to: 'client@client.test', timeoutMs: 90_000 });
    const parsed = await message.parse();
    expect(parsed.subject).toBe('Client funnel — 2026-09-28 – 2026-10-04');
    expect(parsed.attachments.map((a) => a.contentType).sort()).toEqual(['application/pdf', 'application/zip']);
    expect(parsed.attachments.find((a) => a.contentType === 'application/pdf')!.content.subarray(0, 5).toString()).toBe('%PDF-');
    // Sent once the insights were written: the mail carries the execution's insights.
    const insights = (await owner.get(`/v1/reports/${reportId}/insights?limit=50`)).body.items as { text: string }[];
    expect(insights.length).toBeGreaterThan(0);
    expect(insights.some((insight) => parsed.text?.includes(insight.text))).toBe(true);

    const [request] = await hooks.waitForRequests(1, { path: '/client-hook', timeoutMs: 60_000 });
    expect(verifyAmcSignature(String(request.headers['x-amc-reports-signature']), request.rawBody, { secrets: [secret], toleranceSeconds: 300 }).ok).toBe(true);
    const body = request.json() as { files: { url: string }[]; report: Record<string, unknown> };
    expect(body.report).toMatchObject({ id: reportId, name: 'Client funnel' });
    const file = await fetch(body.files[0].url.replace('http://reports.test', stack.gatewayUrl));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const [slackPost] = await hooks.waitForRequests(1, { path: '/services/T0/B0/secret-part' });
    expect((slackPost.json() as { blocks: unknown[] }).blocks.length).toBeGreaterThan(2);

    for (const id of [mail.body.id, hook.body.id, slack.body.id]) {
      const [delivery] = await waitUntil(async () => {
        const rows = await deliveriesOf(id);
        return rows[0]?.status === 'sent' ? rows : null;
      }, 30_000, `delivery of ${id}`);
      expect(delivery).toMatchObject({ status: 'sent', trigger: { kind: 'after_execution' }, attempts: 1 });
    }
    const [mailed] = await deliveriesOf(mail.body.id);
    expect(mailed.files.map((f: { format: string; as: string }) => [f.format, f.as])).toEqual([['pdf', 'attachment'], ['csv', 'attachment']]);
    expect((await viewer.get(`/v1/reports/${reportId}/subscriptions`)).body.items.find((s: { id: string }) => s.id === mail.body.id).recentDeliveries).toHaveLength(1);
  }, 150_000);

  it('sends now on request (202), and the download link answers 410 once it expired', async () => {
    const created = await owner.post(`/v1/reports/${reportId}/subscriptions`, {
      channel: { type: 'webhook', url: `${hooks.url}/now` }, formats: ['csv'], trigger: { type: 'after_execution' }, enabled: false,
    });
    const sent = await owner.post(`/v1/reports/${reportId}/subscriptions/${created.body.id}/deliveries`, {});
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ status: 'pending', trigger: { kind: 'manual' } });
    const [request] = await hooks.waitForRequests(1, { path: '/now', timeoutMs: 60_000 });
    const url = (request.json() as { files: { url: string }[] }).files[0].url.replace('http://reports.test', stack.gatewayUrl);
    expect((await fetch(url)).status).toBe(200);
    await prisma.$executeRaw`UPDATE download_links SET expires_at = created_at + interval '1 millisecond'`;
    expect((await fetch(url)).status).toBe(410);
    expect((await fetch(`${stack.gatewayUrl}/v1/download-links/${'x'.repeat(43)}`)).status).toBe(404);
  }, 90_000);
});

describe('share links', () => {
  it('opens the one report read-only without an account, logs each view, reveals no ids, and answers 410 once revoked', async () => {
    expect((await viewer.post(`/v1/reports/${reportId}/share-links`, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() })).status).toBe(403);
    const created = await owner.post(`/v1/reports/${reportId}/share-links`, {
      expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(), allowedOrigins: ['https://client.example.com'], label: 'Acme',
    });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`http://reports.test/share/${created.body.token}`);
    const shared = `${stack.gatewayUrl}/v1/shared/${created.body.token}`;
    const answer = await fetch(`${shared}/dashboard`);
    expect(answer.status).toBe(200);
    const text = await answer.text();
    const board = JSON.parse(text) as { report: Record<string, unknown>; views: unknown[] };
    expect(board.report).toEqual({ name: 'Client funnel', dashboardType: 'funnel' });
    expect(board.views.length).toBeGreaterThan(0);
    for (const id of [reportId, workflowId, owner.organizationId, owner.userId, INSTANCE]) expect(text).not.toContain(id);
    expect((await fetch(`${shared}/exports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"format":"pdf"}' })).status).toBe(403);

    const page = await fetch(`${stack.gatewayUrl}/share/${created.body.token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors https://client.example.com');
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect((await fetch(`${stack.gatewayUrl}/app/`)).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const links = await owner.get(`/v1/reports/${reportId}/share-links`);
    expect(links.body.items[0]).toMatchObject({ label: 'Acme', status: 'active', viewCount: 1 });
    expect(JSON.stringify(links.body)).not.toContain(created.body.token);
    expect((await owner.delete(`/v1/reports/${reportId}/share-links/${created.body.id}`)).status).toBe(204);
    expect((await fetch(`${shared}/dashboard`)).status).toBe(410);
    expect((await fetch(`${stack.gatewayUrl}/share/${created.body.token}`)).status).toBe(410);
    expect((await fetch(`${stack.gatewayUrl}/v1/shared/${'A'.repeat(43)}/dashboard`)).status).toBe(404);
  });

  it('expires: 410 past expiresAt', async () => {
    const created = await owner.post(`/v1/reports/${reportId}/share-links`, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await prisma.$executeRaw`UPDATE report_share_links SET expires_at = created_at + interval '1 millisecond' WHERE id = ${created.body.id}::uuid`;
    expect((await fetch(`${stack.gatewayUrl}/v1/shared/${created.body.token}/dashboard`)).status).toBe(410);
  });
});
