import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, until, type AppStack } from '@amc-reports/testing';
import { DEMO_COLUMNS, demoWeek, demoWindow } from '../../scripts/lib/demo-history';
import { ARTIFACTS_DIR, buildWebAppIfStale, openBrowser, saveScreenshot, type BrowserSession } from './headless-chromium';
import { settledOnNewestWindow } from './settled-dashboard';

/**
 * The dashboard in a real browser against the real stack (gateway, report-service, insight-worker,
 * export-worker): the demo's weekly funnel, eight executions in, then a ninth while the page is open.
 * The tests run in order and share one signed-in page, as one reader would.
 */
const WEEKS = 8;
const INSTANCE_ID = 'amcweb0001';

let stack: AppStack;
let browser: BrowserSession;
let token: string;
let reportId: string;
let workflowId: string;
let otherUsersReportId: string;

async function createFunnelReport(userToken: string, amcWorkflowId: string, instanceId = INSTANCE_ID): Promise<{ workflowId: string; reportId: string }> {
  const api = apiClient(stack.gatewayUrl, userToken);
  const template = await api.post('/v1/query-templates', { name: 'Weekly funnel by campaign', category: 'funnel', defaultDashboardType: 'funnel', sqlQuery: 'SELECT 1' });
  expect(template.status).toBe(201);
  const workflow = await api.post('/v1/workflows', {
    name: 'Weekly funnel (browser test)', sqlQuery: 'SELECT 1', queryTemplateId: template.body.id,
    amcInstanceId: instanceId, amcWorkflowId, reportEnabled: true,
  });
  expect(workflow.status).toBe(201);
  return { workflowId: workflow.body.id as string, reportId: workflow.body.reportConfigId as string };
}

const REFUSAL = 'Query results did not meet the aggregation threshold';

/** Week 0 failed (AMC refused it); weeks 1… succeed with the demo's numbers. */
async function playWeek(week: number): Promise<void> {
  const outcome = week === 0
    ? { status: 'FAILED', error: { code: 'PrivacyThresholdNotMet', message: `${REFUSAL}: fewer than 100 distinct users per row.` } }
    : { status: 'SUCCEEDED', result: { format: 'rows', columns: DEMO_COLUMNS, rows: demoWeek(week) } };
  const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, {
    eventId: randomUUID(), type: 'amc.execution.completed', instanceId: INSTANCE_ID, workflowId, amcWorkflowId: 'web_weekly_funnel',
    executionId: `web-week-${week}`, timeWindow: demoWindow(week), ...outcome,
  });
  expect(response.status).toBe(202);
}

const count = (selector: string): Promise<number> => browser.page.locator(selector).count();

beforeAll(async () => {
  buildWebAppIfStale();
  stack = await startAppStack(['gateway', 'report-service', 'insight-worker', 'export-worker']);
  token = (await stack.memberApi({ instanceIds: [INSTANCE_ID], email: 'analyst@example.com' })).token;
  ({ workflowId, reportId } = await createFunnelReport(token, 'web_weekly_funnel'));
  const someoneElse = await stack.memberApi({ instanceIds: ['amcweb-other'] });
  otherUsersReportId = (await createFunnelReport(someoneElse.token, 'someone_elses_funnel', 'amcweb-other')).reportId;
  const api = apiClient(stack.gatewayUrl, token);
  await playWeek(0);
  await until('the failed run', async () => (await api.get(`/v1/reports/${reportId}/dashboard`)).body.history?.length === 1);
  for (let week = 1; week <= WEEKS; week++) await playWeek(week);
  // The page opens on a settled dashboard: 8 weeks of history after the failed week 0 (a gap row) and the latest run's insights.
  await until('the 8-week dashboard and its insights', async () => {
    const board = (await api.get(`/v1/reports/${reportId}/dashboard`)).body;
    const history = board.views?.find((view: { key: string }) => view.key === 'funnel.history');
    return history?.data?.rows?.length === WEEKS + 1 && settledOnNewestWindow(board);
  }, 90_000);
  browser = await openBrowser();
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('signs in with a pasted bearer token and lists the report with its last run and last insight', async () => {
  const { page } = browser;
  const response = await page.goto(`${stack.gatewayUrl}/app`);
  expect(response?.url()).toBe(`${stack.gatewayUrl}/app/`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self';");
  await page.getByLabel('Bearer token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const row = page.locator(`tr[data-report-id="${reportId}"]`);
  await row.locator('.run-cell [data-status="SUCCEEDED"]').waitFor();
  await row.locator('.insight-summary').waitFor();
  expect(await row.locator('th').innerText()).toContain('Weekly funnel (browser test)');
  expect(await row.innerText()).toContain('Funnel');
  expect(await row.innerText()).toContain('Nov 16 – Nov 22, 2026');
  expect(await page.evaluate('sessionStorage.getItem("amc-reports.token")')).toBe(token);
  await saveScreenshot(page, 'report-list.png');
}, 30_000);

it('opens the dashboard and renders every view: charts with drawn SVG, tables with rows, cards, insights, history', async () => {
  const { page } = browser;
  await page.locator(`tr[data-report-id="${reportId}"] a`).click();
  await page.locator('.dashboard[aria-busy="false"]').waitFor();
  const dashboard = (await apiClient(stack.gatewayUrl, token).get(`/v1/reports/${reportId}/dashboard`)).body;
  const views = (dashboard.views as { key: string; viewType: string; data: { rows: unknown[] } }[]).filter((view) => view.viewType !== 'metric_card');
  expect(views.length).toBeGreaterThanOrEqual(5);
  for (const view of views) {
    const card = `[data-view-key="${view.key}"]`;
    if (view.viewType === 'table') {
      expect(await count(`${card} > .view-body tbody tr`)).toBe(view.data.rows.length);
      continue;
    }
    // ECharts (SVG renderer) has drawn the series: paths with geometry, not an empty <svg>.
    await page.locator(`${card} .chart[data-rendered="true"]`).waitFor();
    expect(await count(`${card} .chart svg path[d*="L"]`)).toBeGreaterThan(3);
  }
  // The funnel's cards: five stages, the purchase rate of impressions, sales, and the headline CTR
  // and purchase rate of clicks (the summary insight's numbers), compared with week 7.
  expect(await count('.metric-card')).toBe(9);
  expect(await page.locator('.metric-card').first().innerText()).toMatch(/Impressions\s+6,959,049/);
  expect(await page.locator('.metric-card').first().getAttribute('title')).toBe('Impressions = sum of impressions');
  expect(await page.locator('.metric-window').innerText()).toMatch(/Key metrics · 2026-11-16 – 2026-11-22, compared with 2026-11-09 – 2026-11-15/);
  expect(await count('.insight')).toBe(dashboard.insights.length);
  expect(await page.locator('.insight .confidence').first().innerText()).toMatch(/confidence · \d\.\d\d/);
  await page.locator('.insight summary').first().click();
  expect(await page.locator('.insight .number-list').first().innerText()).toMatch(/Impressions\s+6,959,049/);
  expect(await count('.history-table tbody tr')).toBe(WEEKS + 1);
  const failed = page.locator('.history-table tr[data-status="FAILED"]');
  expect(await failed.innerText()).toMatch(new RegExp(`Sep 21 – Sep 27, 2026[\\s\\S]*Failed[\\s\\S]*PrivacyThresholdNotMet\\s+${REFUSAL}`));
  await page.locator('.live-indicator[data-state="live"]').waitFor();
  await saveScreenshot(page, 'dashboard.png');
}, 30_000);

it('lets the reader dismiss an insight from the page, and brings the verdict back after a reload', async () => {
  const { page } = browser;
  const item = page.locator('.insight:not([data-type="summary"])').first();
  const insightId = (await item.getAttribute('data-insight-id'))!;
  await item.getByRole('button', { name: 'Dismiss' }).click();
  await item.locator('.insight-dismissed-button[aria-pressed="true"]').waitFor();
  expect(await item.locator('.insight-feedback-status').innerText()).toMatch(/^Dismissed: insights of this kind for this metric will weigh less/);
  const listed = await apiClient(stack.gatewayUrl, token).get(`/v1/reports/${reportId}/insights?limit=100`);
  expect(listed.body.items.find((insight: { id: string }) => insight.id === insightId).feedback).toBe('dismissed');
  await page.reload();
  await page.locator('.dashboard[aria-busy="false"]').waitFor();
  await page.locator(`.insight[data-insight-id="${insightId}"][data-feedback="dismissed"]`).waitFor();
  expect(await page.locator('.insight[data-type="summary"] .insight-feedback').count()).toBe(0);
  await saveScreenshot(page, 'dashboard-insight-dismissed.png');
}, 30_000);

it('sorts a table by a column from the keyboard', async () => {
  const { page } = browser;
  // "Purchases" itself, not the compared columns beside it ("Purchases (2026-11-09 – …)", "Δ Purchases").
  const header = page.locator('[data-view-key="funnel.campaigns"] th', { hasText: /^Purchases\s*[↕▲▼]?$/ });
  await header.locator('button').focus();
  await page.keyboard.press('Enter');
  expect(await header.getAttribute('aria-sort')).toBe('descending');
  await page.keyboard.press('Enter');
  expect(await header.getAttribute('aria-sort')).toBe('ascending');
  const firstCampaign = await page.locator('[data-view-key="funnel.campaigns"] tbody tr th').first().innerText();
  expect(firstCampaign).toBe('ホリデー_スポンサー広告');
});

it('shows a tooltip with formatted values when hovering a time-series chart', async () => {
  const { page } = browser;
  const chart = page.locator('[data-view-key="funnel.history"] .chart');
  await chart.scrollIntoViewIfNeeded();
  // Inside the first of the small multiples (impressions), below the legend.
  const box = (await chart.boundingBox())!;
  await chart.hover({ position: { x: box.width / 2, y: 100 } });
  const tooltip = page.locator('[data-view-key="funnel.history"] .chart-tooltip');
  await tooltip.waitFor({ state: 'visible' });
  expect(await tooltip.innerText()).toMatch(/Impressions\s+[\d,]+/);
  expect(await count('[data-view-key="funnel.history"] .chart svg text')).toBeGreaterThan(5);
});

it('requests a PDF export, follows it to completion and downloads the file', async () => {
  const { page } = browser;
  await page.getByLabel('PDF').check();
  await page.getByLabel('Contents').selectOption('dashboard');
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const item = page.locator('.export-item').first();
  await item.locator('[data-status="completed"]').waitFor({ timeout: 60_000 });
  expect(await item.innerText()).toMatch(/expires in \d+ days/);
  const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const file = await download.path();
  expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
}, 75_000);

it('exports the CSV ZIP of an older execution without a byte order mark when the panel says so', async () => {
  const { page } = browser;
  await page.getByLabel('CSV').check();
  const bom = page.getByLabel('Byte order mark (for Excel)');
  expect(await bom.isVisible()).toBe(true);
  expect(await bom.isChecked()).toBe(true);
  await bom.uncheck();
  await page.getByLabel('Contents').selectOption('dashboard');
  await page.locator('.export-panel').screenshot({ path: `${ARTIFACTS_DIR}/export-panel.png` });
  const executions = page.getByLabel('Execution to export');
  // The dashboard's own execution first, then the history newest first: pick an older one.
  expect(await executions.locator('option').count()).toBeGreaterThan(2);
  const older = await executions.locator('option').nth(2).getAttribute('value');
  await executions.selectOption(older!);
  const before = await page.locator('.export-item').count();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  // The new export is listed first once the request is answered.
  await page.locator('.export-item').nth(before).waitFor({ state: 'attached' });
  const item = page.locator('.export-item').first();
  await item.locator('[data-status="completed"]').waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const zip = unzipSync(fs.readFileSync(await download.path()));
  const manifest = JSON.parse(Buffer.from(zip['manifest.json']).toString('utf8'));
  expect(manifest.executionId).toBe(older);
  const firstCsv = Object.keys(zip).find((name) => name.endsWith('.csv'))!;
  expect([...zip[firstCsv].subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
  await page.getByLabel('PDF').check();
  expect(await bom.isVisible()).toBe(false);
}, 75_000);

it('updates the dashboard live when a new execution lands, without a reload', async () => {
  const { page } = browser;
  await page.evaluate('window.__loadedOnce = "still the same document"');
  await playWeek(WEEKS + 1);
  // Waits go through locators: the page's CSP (no eval) rules out string predicates.
  await page.locator('.history-table tbody tr').nth(WEEKS + 1).waitFor({ timeout: 30_000 });
  expect(await page.locator('.latest-run .run-window').innerText()).toBe('Nov 23 – Nov 29, 2026');
  await page.locator('[data-view-key="funnel.history"] tbody tr').nth(WEEKS + 1).waitFor({ state: 'attached' });
  // Nine weeks and the failed week 0 before them, a gap row.
  expect(await count('[data-view-key="funnel.history"] tbody tr')).toBe(WEEKS + 2);
  expect(await page.locator('[data-view-key="funnel.history"] tbody tr').first().getAttribute('data-gap')).toBe('failed');
  expect(await page.evaluate('window.__loadedOnce')).toBe('still the same document');
  expect(Number(await page.locator('.dashboard').getAttribute('data-live-updates'))).toBeGreaterThanOrEqual(1);
}, 45_000);

it('shows "not found" for another user\'s report id, as for one that does not exist', async () => {
  const { page } = browser;
  // The API's 404 is logged by Chromium as a failed resource load: that one is expected.
  browser.expect((message) => message.location().url.includes(`/v1/reports/${otherUsersReportId}/`));
  await page.goto(`${stack.gatewayUrl}/app/#/reports/${otherUsersReportId}`);
  await page.locator('[data-not-found="report"]').waitFor();
  expect(await page.locator('h1').innerText()).toBe('Report not found');
  expect(await page.locator('main').innerText()).not.toContain('Weekly funnel (browser test)');
});

it('logged no console errors on any page', () => {
  expect(browser.errors()).toEqual([]);
});
