import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import {
  apiClient, postSignedEvent, startAppStack, startLocalSmtpServer, TEST_ADMIN_TOKEN, TEST_WEBHOOK_SECRET, until, type AppStack, type LocalSmtpServer,
} from '@amc-reports/testing';
import { DEMO_COLUMNS, demoWeek, demoWindow } from '../../scripts/lib/demo-history';
import { ARTIFACTS_DIR, buildWebAppIfStale, openBrowser, saveScreenshot, type BrowserSession } from './headless-chromium';
import { settledOnNewestWindow } from './settled-dashboard';

/**
 * Subscriptions and share links in a real browser against the real stack and a real SMTP server:
 * an editor manages subscriptions and sends one now, a viewer only reads them, and a client opens
 * a share link without an account — read-only, with exports when allowed, framed only by the
 * origins on the link, and gone (410) once revoked.
 */
const INSTANCE_ID = 'amcwebdlv001';
let stack: AppStack;
let smtp: LocalSmtpServer;
let browser: BrowserSession;
let token: string;
let viewerToken: string;
let reportId: string;
let framing: Server;
let framingOrigin: string;

async function signIn(userToken: string): Promise<void> {
  const { page } = browser;
  await page.goto(`${stack.gatewayUrl}/app/#/sign-in`);
  await page.evaluate('sessionStorage.clear()');
  await page.goto(`${stack.gatewayUrl}/app/#/sign-in`);
  await page.getByLabel('Bearer token').fill(userToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.report-link').first().waitFor();
  await page.goto(`${stack.gatewayUrl}/app/#/reports/${reportId}`);
  await page.locator('.dashboard[aria-busy="false"]').waitFor();
  await page.locator('.delivery-grid').waitFor();
}

/**
 * Opens a collapsed panel (lazyDetails) until the field inside shows. Twice in loaded full runs the
 * first click left it closed for 30 s (cause not found yet); a click that opened it is not repeated
 * (that would close it), and a screenshot is kept if it never opens.
 */
async function openUntilShown(summary: string, field: Locator, screenshot: string): Promise<void> {
  const { page } = browser;
  await until(`${summary} open`, async () => {
    if (await field.isVisible()) return true;
    await page.getByText(summary).click({ timeout: 5_000 }).catch(() => undefined);
    return field.waitFor({ timeout: 3_000 }).then(() => true, () => false);
  }, 30_000, 100).catch(async (error: Error) => {
    await saveScreenshot(page, screenshot);
    throw error;
  });
}

beforeAll(async () => {
  buildWebAppIfStale();
  smtp = await startLocalSmtpServer();
  stack = await startAppStack(['gateway', 'report-service', 'insight-worker', 'export-worker'], { SMTP_URL: smtp.url, DELIVERY_RETRY_BASE_MS: '100' });
  const owner = await stack.memberApi({ instanceIds: [INSTANCE_ID], email: 'editor@agency.test' });
  token = owner.token;
  const viewerId = randomUUID();
  expect((await apiClient(stack.gatewayUrl, TEST_ADMIN_TOKEN).put(`/admin/v1/organizations/${owner.organizationId}/members/${viewerId}`, { role: 'viewer' })).status).toBe(201);
  viewerToken = await stack.tokenFor(viewerId, 'viewer@agency.test');
  const workflow = await owner.post('/v1/workflows', {
    name: 'Client funnel (browser)', sqlQuery: 'SELECT 1', amcInstanceId: INSTANCE_ID, amcWorkflowId: 'web_delivery_funnel', reportEnabled: true,
  });
  reportId = workflow.body.reportConfigId as string;
  await owner.patch(`/v1/reports/${reportId}`, { dashboardType: 'funnel', name: 'Client funnel' });
  for (const week of [1, 2]) {
    const answer = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, {
      eventId: randomUUID(), instanceId: INSTANCE_ID, workflowId: workflow.body.id, amcWorkflowId: 'web_delivery_funnel', executionId: `web-delivery-${week}`,
      status: 'SUCCEEDED', timeWindow: demoWindow(week), result: { format: 'rows', columns: DEMO_COLUMNS, rows: demoWeek(week) },
    });
    expect(answer.status).toBe(202);
  }
  await until('the dashboard of week 2 with its insights', async () => {
    const board = (await owner.get(`/v1/reports/${reportId}/dashboard`)).body;
    return board.history?.length === 2 && settledOnNewestWindow(board);
  }, 90_000);
  // Another origin, as a client's portal: a page that frames whatever ?src= names.
  framing = createServer((req, res) => {
    const src = new URL(req.url ?? '/', 'http://x').searchParams.get('src') ?? '';
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>Client portal</title><iframe id="embedded" src="${src.replace(/"/g, '')}" width="1200" height="800"></iframe>`);
  });
  await new Promise<void>((resolve) => framing.listen(0, '127.0.0.1', resolve));
  framingOrigin = `http://127.0.0.1:${(framing.address() as AddressInfo).port}`;
  browser = await openBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await smtp?.close();
  await new Promise((resolve) => framing?.close(resolve));
});

it('lets an editor add a subscription, send it now and see it delivered; pause and delete it', async () => {
  const { page } = browser;
  await signIn(token);
  let form = page.getByRole('form', { name: 'Add a subscription' });
  const nameField = form.getByLabel('Name (optional)');
  await openUntilShown('Add a subscription', nameField, 'delivery-form-not-open.png');
  await nameField.fill('Client weekly');
  await form.getByLabel('Recipients').fill('client@client.test');
  await form.getByLabel('CSV', { exact: true }).check();
  await form.getByLabel('a metric crosses').fill('impressions > 1000');
  await form.getByRole('button', { name: 'Add subscription' }).click();
  const item = page.locator('.subscription', { hasText: 'Client weekly' });
  await item.waitFor();
  expect(await item.innerText()).toMatch(/E-mail to client@client\.test[\s\S]*After each execution[\s\S]*Only when impressions > 1000/);
  expect(await item.locator('.tag').allInnerTexts()).toEqual(['PDF', 'CSV']);

  await item.getByRole('button', { name: 'Send now' }).click();
  const [mail] = await smtp.waitForMessages(1, { to: 'client@client.test', timeoutMs: 60_000 });
  await item.locator('.delivery-item[data-status="sent"]').waitFor({ timeout: 30_000 });
  expect(await item.locator('.delivery-item').first().innerText()).toMatch(/Sent[\s\S]*sent on request/);
  const parsed = await mail.parse();
  expect(parsed.attachments.map((attachment) => attachment.contentType).sort()).toEqual(['application/pdf', 'application/zip']);
  fs.mkdirSync(path.join(ARTIFACTS_DIR, '..', 'delivery'), { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS_DIR, '..', 'delivery', 'send-now.eml'), mail.raw);
  const mailPage = await browser.context.newPage();
  await mailPage.setContent(String(parsed.html));
  await saveScreenshot(mailPage, 'delivery-email.png');
  await mailPage.close();

  await signIn(token);
  await page.getByText('Add a subscription').click();
  form = page.getByRole('form', { name: 'Add a subscription' });
  await form.getByLabel('Channel', { exact: true }).selectOption('webhook');
  await form.getByLabel('Webhook URL (https)').fill('https://hooks.client.example/amc');
  await form.getByLabel('Link only', { exact: true }).check();
  await form.getByLabel('On a schedule (otherwise after each execution)').check();
  await form.getByLabel('Cron', { exact: true }).fill('0 8 * * MON');
  await form.getByLabel('Time zone', { exact: true }).fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Add subscription' }).click();
  const secret = page.locator('.notice .secret');
  await secret.waitFor();
  expect(await secret.innerText()).toMatch(/^whsec_[0-9a-f]{48}$/);
  const scheduled = page.locator('.subscription', { hasText: 'hooks.client.example' });
  expect(await scheduled.locator('.subscription-trigger').innerText()).toMatch(/^0 8 \* \* MON \(Europe\/Berlin\) · next /);
  await saveScreenshot(page, 'subscriptions.png');

  await scheduled.getByRole('button', { name: 'Pause' }).click();
  await scheduled.locator('.pill', { hasText: 'Paused' }).waitFor();
  await scheduled.getByRole('button', { name: 'Delete' }).click();
  await scheduled.waitFor({ state: 'detached' });
  expect(browser.errors()).toEqual([]);
}, 120_000);

it('shows a viewer the subscriptions and their deliveries, without a way to change them', async () => {
  const { page } = browser;
  await signIn(viewerToken);
  const item = page.locator('.subscription', { hasText: 'Client weekly' });
  await item.waitFor();
  await item.locator('.delivery-item[data-status="sent"]').waitFor();
  expect(await page.getByText('Read only: your role cannot change subscriptions').count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Send now' }).count()).toBe(0);
  expect(await page.getByText('Add a subscription').count()).toBe(0);
  expect(await page.getByText('Create a share link').count()).toBe(0);
}, 60_000);

it('opens a share link without an account: read-only, exports when allowed, framed only by its origins, 410 once revoked', async () => {
  const { page } = browser;
  await signIn(token);
  await openUntilShown('Create a share link', page.getByLabel('For', { exact: true }), 'share-form-not-open.png');
  await page.getByLabel('For', { exact: true }).fill('Acme Brand team');
  await page.getByLabel('Allow PDF / PNG / CSV / Excel downloads').check();
  await page.getByLabel('Sites that may embed it (optional)').fill(framingOrigin);
  await page.getByRole('button', { name: 'Create share link' }).click();
  const link = page.locator('.share-url');
  await link.waitFor();
  const shareUrl = await link.innerText();
  expect(shareUrl).toMatch(new RegExp(`^${stack.gatewayUrl}/share/[A-Za-z0-9_-]{43}$`));

  const client = await browser.context.newPage();
  await client.evaluate('sessionStorage.clear()').catch(() => undefined);
  const opened = await client.goto(shareUrl);
  expect(opened?.status()).toBe(200);
  expect(opened?.headers()['content-security-policy']).toContain(`frame-ancestors ${framingOrigin}`);
  await client.locator('.shared-dashboard').waitFor();
  expect(await client.locator('h1').innerText()).toBe('Client funnel');
  expect(await client.locator('.metric-card').count()).toBeGreaterThan(2);
  expect(await client.locator('.insight').count()).toBeGreaterThan(0);
  expect(await client.getByText('Sign in').count()).toBe(0);
  expect(await client.locator('.delivery-card, form, .subscription-actions').count()).toBe(0);
  const html = await client.content();
  expect(html).not.toContain(reportId);

  await client.getByRole('button', { name: 'PDF' }).click();
  const downloadLink = client.getByRole('link', { name: 'Download PDF' });
  await downloadLink.waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([client.waitForEvent('download'), downloadLink.click()]);
  const file = await download.path();
  expect(fs.readFileSync(file!).subarray(0, 5).toString()).toBe('%PDF-');
  await saveScreenshot(client, 'shared-dashboard.png');

  // The client's portal may frame it; the same link cannot be framed from anywhere else.
  await client.goto(`${framingOrigin}/?src=${encodeURIComponent(shareUrl)}`);
  const frame = client.frameLocator('#embedded');
  await frame.locator('.shared-dashboard h1').waitFor();
  expect(await frame.locator('.shared-dashboard h1').innerText()).toBe('Client funnel');
  const other = await apiClient(stack.gatewayUrl, token).post(`/v1/reports/${reportId}/share-links`, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
  await client.goto(`${framingOrigin}/?src=${encodeURIComponent(`${stack.gatewayUrl}/share/${other.body.token}`)}`);
  await client.waitForLoadState('load');
  const blocked = client.frames().find((candidate) => candidate !== client.mainFrame());
  expect(await blocked?.locator('.shared-dashboard').count().catch(() => 0)).toBe(0);

  await page.locator('.share-link', { hasText: 'Acme Brand team' }).getByRole('button', { name: 'Revoke' }).click();
  await page.locator('.share-link[data-status="revoked"]', { hasText: 'Acme Brand team' }).waitFor();
  const revoked = await client.goto(shareUrl);
  expect(revoked?.status()).toBe(410);
  expect(await client.locator('h1').innerText()).toBe('This link is no longer available');
  expect((await fetch(`${stack.gatewayUrl}/v1/shared/${shareUrl.split('/').pop()}/dashboard`)).status).toBe(410);
  await saveScreenshot(client, 'shared-revoked.png');
  await client.close();
}, 120_000);
