import { randomUUID } from 'node:crypto';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack } from '@amc-reports/testing';
import { PERIOD_DELIVERY_ORDER, PERIOD_WEEKS, type PeriodWeek } from '../../libs/dashboards/test/period-history';
import { buildWebAppIfStale, openBrowser, saveScreenshot, type BrowserSession } from './headless-chromium';

/**
 * Periods, comparisons, honest states and building a report, in a real browser against the real
 * gateway and report service: the weekly funnel of libs/dashboards/test/period-history.ts (a
 * failed week, privacy-withheld rows, a re-run). The tests share one signed-in page, in order.
 */
const INSTANCE_ID = 'amcwebperiods1';
let stack: AppStack;
let browser: BrowserSession;
let ownerToken: string;
let viewerToken: string;
let reportId: string;
let workflowId: string;
const ids: Record<string, string> = {};

async function deliver(workflow: string, report: string, week: PeriodWeek): Promise<void> {
  const waiter = await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'dashboard.updated', (event) => event.reportId === report);
  await waiter.subscribed;
  const outcome = week.status === 'SUCCEEDED'
    ? { status: 'SUCCEEDED', result: { format: 'rows', columns: week.columns, rows: week.rows } }
    : { status: 'FAILED', error: week.error };
  const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, {
    eventId: randomUUID(), instanceId: INSTANCE_ID, workflowId: workflow, executionId: `${week.executionId}-${workflow.slice(0, 8)}`,
    timeWindow: week.window, occurredAt: week.occurredAt, ...outcome,
  });
  expect(response.status).toBe(202);
  await waiter.event;
}

const page = () => browser.page;
const text = (selector: string) => page().locator(selector).first().innerText();
/** The dashboard after a change: the page is done loading, shows the given window and has drawn every chart. */
async function settled(shown: string, on = page()): Promise<void> {
  await on.locator('.dashboard[aria-busy="false"]').waitFor();
  await on.locator('.period-shown [data-window="shown"]', { hasText: shown }).waitFor();
  await on.locator('.chart:not([data-rendered="true"])').first().waitFor({ state: 'detached' });
}

beforeAll(async () => {
  buildWebAppIfStale();
  stack = await startAppStack(['gateway', 'report-service']);
  const owner = randomUUID();
  const viewer = randomUUID();
  await stack.provisionOrganization({ name: 'Periods & Co', instanceIds: [INSTANCE_ID], members: [{ userId: owner, role: 'owner' }, { userId: viewer, role: 'viewer' }] });
  ownerToken = await stack.tokenFor(owner, 'owner@example.com');
  viewerToken = await stack.tokenFor(viewer, 'viewer@example.com');
  const api = apiClient(stack.gatewayUrl, ownerToken);
  const workflow = await api.post('/v1/workflows', { name: 'Weekly funnel (periods)', sqlQuery: 'SELECT 1', amcInstanceId: INSTANCE_ID, reportEnabled: true });
  workflowId = workflow.body.id;
  reportId = workflow.body.reportConfigId;
  await api.patch(`/v1/reports/${reportId}`, { dashboardType: 'funnel' });
  for (const name of PERIOD_DELIVERY_ORDER) await deliver(workflowId, reportId, PERIOD_WEEKS[name]);
  for (const run of (await api.get(`/v1/reports/${reportId}/dashboard`)).body.history as Array<{ executionId: string; timeWindow: { firstDay: string }; superseded: boolean }>) {
    const name = PERIOD_DELIVERY_ORDER.find((entry) => PERIOD_WEEKS[entry].window.start.startsWith(run.timeWindow.firstDay) && (entry === 'week4') === run.superseded);
    if (name) ids[name] = run.executionId;
  }
  browser = await openBrowser();
  await page().goto(`${stack.gatewayUrl}/app/#/reports/${reportId}`);
  await page().getByLabel('Bearer token').fill(ownerToken);
  await page().getByRole('button', { name: 'Sign in' }).click();
  await settled('Nov 23 – Nov 29, 2026');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

it('opens on the latest window, named in the header, compared with the previous window in cards and tables (Δ, Δ %)', async () => {
  expect(await text('.period-line')).toMatch(/Showing Nov 23 – Nov 29, 2026 \(the latest window\)\s+· compared with Nov 16 – Nov 22, 2026 \(the window before\)/);
  const purchases = page().locator('.metric-card', { has: page().locator('.metric-label', { hasText: /^Purchases$/ }) });
  // 30 purchases after the re-run, 36 the week before: −6, −16.67 %.
  expect(await purchases.innerText()).toMatch(/Purchases\s+30\s+▼ 16\.67% \(−6\) vs 2026-11-16 – 2026-11-22/);
  const table = page().locator('[data-view-key="funnel.campaigns"]');
  expect(await table.locator('.view-window').innerText()).toBe('2026-11-23 – 2026-11-29 vs 2026-11-16 – 2026-11-22');
  const headers = await table.locator('thead th').allInnerTexts();
  expect(headers).toEqual(expect.arrayContaining(['Purchases', 'Purchases (2026-11-16 – 2026-11-22)', 'Δ Purchases', 'Δ % Purchases'].map((label) => expect.stringContaining(label))));
  const rowA = await table.locator('tbody tr', { has: page().locator('th', { hasText: /^A$/ }) }).innerText();
  expect(rowA).toMatch(/25\s+30\s+-5\s+-16\.67%/);
  // The failed week is a gap in the history chart's table, not skipped.
  const gap = page().locator('[data-view-key="funnel.history"] tbody tr.gap-row[data-gap="failed"] th');
  expect(await gap.first().textContent()).toBe('2026-11-09Failed');
  await saveScreenshot(page(), 'periods-compare-previous.png');
}, 30_000);

it('picks a past execution (week 3, withheld rows): the URL keeps it, the failed week before is a named gap, not a skipped week', async () => {
  await page().getByLabel('Show').selectOption('execution');
  await page().getByLabel('Execution', { exact: true }).selectOption(ids.week3);
  await settled('Nov 16 – Nov 22, 2026');
  expect(page().url()).toContain(`?execution=${ids.week3}`);
  expect(await text('.period-line')).toMatch(/no comparison: Nov 9 – Nov 15, 2026 \(the window before\) failed: PrivacyThresholdNotMet/);
  const purchases = page().locator('.metric-card', { has: page().locator('.metric-label', { hasText: /^Purchases$/ }) });
  expect(await purchases.innerText()).toMatch(/Purchases\s+36\s+No comparison: 2026-11-09 – 2026-11-15 failed/);
  expect(await text('[data-view-key="funnel.campaigns"] .note-withheld')).toMatch(/1 result row was withheld/);
  expect(await page().locator('.history-table tr.shown').getAttribute('data-execution-id')).toBe(ids.week3);
  await saveScreenshot(page(), 'periods-past-execution.png');
  // A reload opens the same period.
  await page().reload();
  await settled('Nov 16 – Nov 22, 2026');
}, 30_000);

it('shows a custom range added up (Nov 2 – Nov 29: 91 purchases), the failed week named as missing from the totals', async () => {
  await page().getByLabel('Show').selectOption('range');
  await page().getByLabel('From').fill('2026-11-02');
  await page().getByLabel('To (included)').fill('2026-11-29');
  await page().getByRole('button', { name: 'Show', exact: true }).click();
  await settled('Nov 2 – Nov 29, 2026');
  expect(page().url()).toContain('from=2026-11-02&to=2026-11-29');
  const line = await text('.period-line');
  expect(line).toMatch(/\(a range · 3 executions added up\)/);
  expect(line).toMatch(/not in these totals: Nov 9 – Nov 15, 2026 \(failed: PrivacyThresholdNotMet/);
  expect(line).toMatch(/no comparison: Oct 5 – Nov 1, 2026 .* no execution/);
  const purchases = page().locator('.metric-card', { has: page().locator('.metric-label', { hasText: /^Purchases$/ }) });
  expect(await purchases.locator('.metric-value').innerText()).toBe('91');
  // Reach counts distinct users: not added across weeks, and the cards say why.
  const reach = page().locator('.metric-card', { has: page().locator('.metric-label', { hasText: /^Reach$/ }) });
  expect(await reach.locator('.metric-value').innerText()).toBe('—');
  await page().locator('.metric-notes summary').click();
  expect(await text('.metric-notes')).toMatch(/user_reach: distinct users cannot be added across 3 executions/);
  await saveScreenshot(page(), 'periods-custom-range.png');
}, 30_000);

it('shows a field error from the shared schema when a report is built in the page, then creates it from scratch', async () => {
  await page().goto(`${stack.gatewayUrl}/app/#/reports`);
  await page().getByRole('link', { name: 'New report' }).click();
  await page().getByLabel('Template name').fill('Browser-built funnel');
  await page().getByRole('button', { name: 'Create and turn reporting on' }).click();
  const sqlError = page().locator('[data-field="template.sqlQuery"] .field-error');
  await sqlError.waitFor();
  expect(await sqlError.innerText()).toMatch(/>=1 character/);
  expect(await page().getByLabel('AMC SQL').getAttribute('aria-invalid')).toBe('true');
  await saveScreenshot(page(), 'new-report-field-error.png');

  await page().getByLabel('AMC SQL').fill('SELECT campaign, SUM(impressions) AS impressions, SUM(clicks) AS clicks, SUM(purchases) AS purchases FROM amazon_attributed_events_by_conversion_time GROUP BY 1');
  await page().getByLabel('Dashboard type').selectOption('funnel');
  await page().getByLabel('AMC workflow id').fill('browser_built_funnel');
  await page().getByRole('button', { name: 'Create and turn reporting on' }).click();
  await page().locator('form[aria-label="Report settings"]').waitFor();
  const created = page().url().match(/#\/reports\/([0-9a-f-]{36})\/edit$/)![1];

  // The report's own settings: a currency the schema refuses is marked at its field.
  await page().getByLabel('Currency').fill('dollars');
  const currencyError = page().locator('[data-field="aggregation.currency"] .field-error');
  await currencyError.waitFor();
  expect(await currencyError.innerText()).toMatch(/three-letter ISO 4217 code/);
  await page().getByLabel('Currency').fill('EUR');
  await currencyError.waitFor({ state: 'hidden' });

  // The first result arrives: the live preview reads its profile, stages mapped by hand.
  const api = apiClient(stack.gatewayUrl, ownerToken);
  const workflow = (await api.get(`/v1/reports/${created}`)).body.workflowId as string;
  await deliver(workflow, created, PERIOD_WEEKS.week1);
  await page().getByLabel('Dashboard type').selectOption('funnel');
  await page().getByRole('button', { name: 'Add a stage' }).click();
  await page().getByRole('button', { name: 'Add a stage' }).click();
  await page().getByLabel('Stage 1 column').fill('impressions');
  await page().getByLabel('Stage 2 column').fill('purchases');
  await page().locator('.preview-card [data-view-key="funnel.stages"]').waitFor();
  expect(await text('.preview-state')).toMatch(/Nov 2 – Nov 8, 2026 · 2 rows · columns: campaign \(string\), impressions \(number\)/);
  await page().getByRole('checkbox', { name: 'CSV' }).check();
  await page().getByRole('button', { name: 'Save settings' }).click();
  await page().locator('.save-status', { hasText: 'Saved' }).waitFor();
  // The picture once the preview has caught up with the last change (the CSV box).
  await page().locator('.preview-state', { hasText: /rows · columns/ }).waitFor();
  await saveScreenshot(page(), 'report-settings.png');
  const saved = (await api.get(`/v1/reports/${created}`)).body;
  expect(saved).toMatchObject({
    dashboardType: 'funnel', dataAggregationSettings: { currency: 'EUR', stages: [{ column: 'impressions' }, { column: 'purchases' }] }, exportSettings: { autoExport: ['csv'] },
  });
  await page().getByRole('link', { name: 'Open the dashboard' }).click();
  await settled('Nov 2 – Nov 8, 2026');
  expect(await page().locator('[data-view-key="funnel.stages"]').count()).toBe(1);
}, 60_000);

it('puts a banner over a result the report cannot use, says it shows the previous good execution, and the list marks the report', async () => {
  await deliver(workflowId, reportId, {
    name: 'week 5 (one stage)', executionId: 'period-2026-w49', window: { start: '2026-11-30T00:00:00-05:00', end: '2026-12-07T00:00:00-05:00', timeZone: 'America/New_York' },
    occurredAt: '2026-12-07T09:00:00Z', status: 'SUCCEEDED', columns: ['campaign', 'purchases'], rows: [['A', 12], ['B', 3]],
  });
  await page().goto(`${stack.gatewayUrl}/app/#/reports/${reportId}`);
  await settled('Nov 23 – Nov 29, 2026');
  const banner = page().locator('.run-alert[data-kind="unusable"]');
  await banner.waitFor();
  const said = await banner.innerText();
  expect(said).toMatch(/The latest run \(Nov 30 – Dec 6, 2026\) finished in AMC, but this report cannot use its result\./);
  expect(said).toMatch(/What was wrong: a funnel needs at least 2 stage columns/);
  expect(said).toMatch(/What the report expected: a funnel dashboard needs at least 2 of Impressions, Clicks/);
  expect(said).toMatch(/The dashboard shows the previous good execution: Nov 23 – Nov 29, 2026\./);
  expect(await page().locator('.latest-run [data-outcome="unusable"]').innerText()).toMatch(/Unusable/);
  await saveScreenshot(page(), 'unusable-banner.png');
  await page().goto(`${stack.gatewayUrl}/app/#/reports`);
  const row = page().locator(`tr[data-report-id="${reportId}"]`);
  await row.locator('[data-outcome="unusable"]').waitFor();
  expect(await row.innerText()).toMatch(/Not usable by this report: the dashboard shows the previous good execution/);
  await saveScreenshot(page(), 'report-list-unusable.png');
}, 45_000);

it('keeps the first table column and the failure reason in view on a 390 px phone', async () => {
  const phone = await openBrowser({ width: 390, height: 844 });
  try {
    await phone.page.goto(`${stack.gatewayUrl}/app/#/reports/${reportId}?execution=${ids.week3}`);
    await phone.page.getByLabel('Bearer token').fill(ownerToken);
    await phone.page.getByRole('button', { name: 'Sign in' }).click();
    await settled('Nov 16 – Nov 22, 2026', phone.page);
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBe(390);
    const scroller = phone.page.locator('[data-view-key="funnel.campaigns"] .table-scroll');
    await scroller.scrollIntoViewIfNeeded();
    await scroller.evaluate((element) => { element.scrollLeft = element.scrollWidth; });
    const firstCell = (await phone.page.locator('[data-view-key="funnel.campaigns"] tbody tr th').first().boundingBox())!;
    expect(firstCell.x).toBeGreaterThanOrEqual(0);
    expect(firstCell.x + firstCell.width).toBeLessThanOrEqual(390);
    // The failed week's reason: under its window in the history (the reason column is off-screen on a phone).
    const failed = phone.page.locator(`.history-table tr[data-execution-id="${ids.week2}"] .reason-inline`);
    await failed.scrollIntoViewIfNeeded();
    expect(await failed.isVisible()).toBe(true);
    const reason = (await failed.boundingBox())!;
    expect(reason.x).toBeGreaterThanOrEqual(0);
    expect(reason.x + reason.width).toBeLessThanOrEqual(390);
    expect(await failed.innerText()).toMatch(/PrivacyThresholdNotMet/);
    // And the banner's reason wraps inside the screen.
    const banner = (await phone.page.locator('.run-alert').boundingBox())!;
    expect(banner.x + banner.width).toBeLessThanOrEqual(390);
    await saveScreenshot(phone.page, 'dashboard-390.png');
    await saveScreenshot(phone.page, 'dashboard-390-history.png', { fullPage: false });
    await phone.page.locator('[data-view-key="funnel.campaigns"]').scrollIntoViewIfNeeded();
    await saveScreenshot(phone.page, 'dashboard-390-table.png', { fullPage: false });
    await phone.page.evaluate('window.scrollTo(0, 0)');
    await saveScreenshot(phone.page, 'dashboard-390-top.png', { fullPage: false });
    expect(phone.errors()).toEqual([]);
  } finally {
    await phone.close();
  }
}, 45_000);

it('shows a viewer no controls to build or edit reports', async () => {
  const viewer = await openBrowser();
  try {
    await viewer.page.goto(`${stack.gatewayUrl}/app/#/reports/${reportId}`);
    await viewer.page.getByLabel('Bearer token').fill(viewerToken);
    await viewer.page.getByRole('button', { name: 'Sign in' }).click();
    await viewer.page.locator('.dashboard[aria-busy="false"]').waitFor();
    await viewer.page.locator('.live-indicator[data-state="live"]').waitFor();
    expect(await viewer.page.getByRole('link', { name: 'Edit report' }).count()).toBe(0);
    await viewer.page.goto(`${stack.gatewayUrl}/app/#/reports`);
    await viewer.page.locator(`tr[data-report-id="${reportId}"]`).waitFor();
    expect(await viewer.page.getByRole('link', { name: 'New report' }).count()).toBe(0);
    await viewer.page.goto(`${stack.gatewayUrl}/app/#/reports/${reportId}/edit`);
    await viewer.page.locator('main [role="status"]', { hasText: 'Only editors and owners can change this report' }).waitFor();
    expect(await viewer.page.locator('form[aria-label="Report settings"]').count()).toBe(0);
  } finally {
    await viewer.close();
  }
}, 45_000);

it('logged no console errors on any page', () => {
  expect(browser.errors()).toEqual([]);
});
