import { randomUUID } from 'node:crypto';
import { apiClient, startAppStack, TEST_ADMIN_TOKEN, type AppStack } from '@amc-reports/testing';
import { buildWebAppIfStale, openBrowser, saveScreenshot, type BrowserSession } from './headless-chromium';

/**
 * The report list of an agency analyst in two client organizations: each report names its
 * advertiser (AMC instance), the list narrows to one organization or one advertiser, and a user
 * in no organization is told who can add them.
 */
let stack: AppStack;
let browser: BrowserSession;
let analystToken: string;
const reports: Record<string, string> = {};

async function signIn(token: string): Promise<void> {
  const { page } = browser;
  await page.goto(`${stack.gatewayUrl}/app/`);
  await page.evaluate('sessionStorage.clear()');
  await page.goto(`${stack.gatewayUrl}/app/`);
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The page's CSP forbids eval, so waitForFunction is out: poll the rows instead. */
async function waitForRowCount(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await browser.page.locator('tr[data-report-id]').count()) !== count) {
    if (Date.now() > deadline) throw new Error(`the list never showed ${count} reports`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const listedReports = () => browser.page.locator('tr[data-report-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-report-id') ?? '').sort());

beforeAll(async () => {
  buildWebAppIfStale();
  stack = await startAppStack(['gateway']);
  const analyst = randomUUID();
  const admin = apiClient(stack.gatewayUrl, TEST_ADMIN_TOKEN);
  const clients = [
    { name: 'Acme Home', instances: [{ id: 'amc-acme-us', name: 'Acme Home', marketplace: 'US' }, { id: 'amc-acme-de', name: 'Acme Home', marketplace: 'DE' }] },
    { name: 'Borealis Outdoor', instances: [{ id: 'amc-borealis', name: 'Borealis', marketplace: 'CA' }] },
  ];
  for (const client of clients) {
    const organization = await admin.post('/admin/v1/organizations', { name: client.name });
    await admin.put(`/admin/v1/organizations/${organization.body.id}/members/${analyst}`, { role: 'editor' });
    for (const instance of client.instances) {
      await admin.put(`/admin/v1/organizations/${organization.body.id}/amc-instances/${instance.id}`, { name: instance.name, marketplace: instance.marketplace });
    }
  }
  analystToken = await stack.tokenFor(analyst, 'analyst@agency.example');
  const api = apiClient(stack.gatewayUrl, analystToken);
  const organizations = (await api.get('/v1/organizations')).body.items as { id: string; amcInstances: { instanceId: string }[] }[];
  for (const organization of organizations) {
    for (const { instanceId } of organization.amcInstances) {
      const workflow = await api.post('/v1/workflows', {
        name: `Weekly funnel ${instanceId}`, sqlQuery: 'SELECT 1', amcInstanceId: instanceId, organizationId: organization.id, reportEnabled: true,
      });
      expect(workflow.status).toBe(201);
      reports[instanceId] = workflow.body.reportConfigId;
    }
  }
  browser = await openBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('names each report\'s advertiser and narrows the list to one organization or one advertiser', async () => {
  const { page } = browser;
  await signIn(analystToken);
  await page.locator(`tr[data-report-id="${reports['amc-borealis']}"]`).waitFor();
  expect(await listedReports()).toEqual(Object.values(reports).sort());
  const borealis = await page.locator(`tr[data-report-id="${reports['amc-borealis']}"]`).innerText();
  expect(borealis).toContain('Borealis (CA)');
  expect(borealis).toContain('Borealis Outdoor');
  await saveScreenshot(page, 'report-list-organizations.png');

  const filter = page.getByLabel('Show reports of');
  await filter.selectOption({ label: 'All of Acme Home' });
  await waitForRowCount(2);
  expect(await listedReports()).toEqual([reports['amc-acme-us'], reports['amc-acme-de']].sort());
  await filter.selectOption({ label: 'Acme Home (DE)' });
  await waitForRowCount(1);
  expect(await listedReports()).toEqual([reports['amc-acme-de']]);
  await filter.selectOption({ label: 'All organizations and advertisers' });
  await waitForRowCount(3);
  expect(browser.errors()).toEqual([]);
}, 60_000);

it('tells a user in no organization who can add them', async () => {
  const loner = randomUUID();
  await signIn(await stack.tokenFor(loner));
  const status = browser.page.locator('p[role="status"]');
  await status.getByText(/You are not a member of any organization yet\./).waitFor();
  expect(await status.innerText()).toContain(loner);
  expect(await status.innerText()).toMatch(/Ask an owner of your organization to add you, or the amc-reports administrator/);
  await saveScreenshot(browser.page, 'report-list-no-organization.png');
}, 30_000);
