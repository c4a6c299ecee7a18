import { randomUUID } from 'node:crypto';
import { apiClient, postSignedEvent, startAppStack, TEST_WEBHOOK_SECRET, waitForBusEvent, type AppStack, type MemberApi } from '@amc-reports/testing';
import { PERIOD_DELIVERY_ORDER, PERIOD_WEEKS, PRIVACY_REFUSAL, type PeriodWeek } from '../../../libs/dashboards/test/period-history';

/**
 * GET /v1/reports/:id/dashboard for any execution, a range and comparisons, through the real
 * gateway and report service, across a history with a failed week, privacy-withheld rows and a
 * re-run (libs/dashboards/test/period-history.ts has the table of numbers checked here by hand).
 */
const INSTANCE_ID = 'amcperiods01';
let stack: AppStack;
let member: MemberApi;
let reportId: string;
let workflowId: string;
/** Our execution ids by the week's name. */
const ids: Record<string, string> = {};

async function deliver(week: PeriodWeek): Promise<void> {
  const waiter = await waitForBusEvent<{ reportId: string }>(stack.redisUrl, 'dashboard.updated', (event) => event.reportId === reportId);
  await waiter.subscribed;
  const outcome = week.status === 'SUCCEEDED'
    ? { status: 'SUCCEEDED', result: { format: 'rows', columns: week.columns, rows: week.rows } }
    : { status: 'FAILED', error: week.error };
  const response = await postSignedEvent(stack.gatewayUrl, TEST_WEBHOOK_SECRET, {
    eventId: randomUUID(), instanceId: INSTANCE_ID, workflowId, executionId: week.executionId, timeWindow: week.window, occurredAt: week.occurredAt, ...outcome,
  });
  expect(response.status).toBe(202);
  await waiter.event;
}

const dashboard = async (query = '') => {
  const response = await member.get(`/v1/reports/${reportId}/dashboard${query}`);
  expect(response.status).toBe(200);
  return response.body;
};
const view = (board: Record<string, any>, key: string) => board.views.find((entry: { key: string }) => entry.key === key);
const cardRows = (board: Record<string, any>) => view(board, 'funnel.cards').data.rows as Array<Record<string, unknown>>;

beforeAll(async () => {
  stack = await startAppStack(['gateway', 'report-service']);
  member = await stack.memberApi({ instanceIds: [INSTANCE_ID] });
  const workflow = await member.post('/v1/workflows', { name: 'Weekly funnel', sqlQuery: 'SELECT 1', amcInstanceId: INSTANCE_ID, reportEnabled: true });
  expect(workflow.status).toBe(201);
  workflowId = workflow.body.id;
  reportId = workflow.body.reportConfigId;
  expect((await member.patch(`/v1/reports/${reportId}`, { dashboardType: 'funnel' })).status).toBe(200);
  for (const name of PERIOD_DELIVERY_ORDER) await deliver(PERIOD_WEEKS[name]);
  const history = (await dashboard()).history as Array<{ executionId: string; timeWindow: { firstDay: string }; superseded: boolean }>;
  for (const name of PERIOD_DELIVERY_ORDER) {
    const week = PERIOD_WEEKS[name];
    const first = week.window.start.slice(0, 10);
    const run = history.find((entry) => entry.timeWindow.firstDay === first && entry.superseded === (name === 'week4'));
    ids[name] = run!.executionId;
  }
}, 180_000);
afterAll(async () => stack?.stop());

it('stores the newest window, its cards against the week before, and names both windows as AMC means them', async () => {
  const board = await dashboard();
  expect(board.source).toBe('stored');
  expect(board.period).toMatchObject({ kind: 'latest', executionIds: [ids.week4Rerun], timeWindow: { label: 'Nov 23 – Nov 29, 2026', timeZone: 'America/New_York' } });
  expect(board.comparison).toMatchObject({ comparison: 'previous', state: 'ok', executionIds: [ids.week3], timeWindow: { label: 'Nov 16 – Nov 22, 2026' } });
  expect(board.latestRun).toMatchObject({ executionId: ids.week4Rerun, outcome: 'usable', timeWindow: { firstDay: '2026-11-23', lastDay: '2026-11-29' } });
  // The re-run (30 purchases) replaced week 4's first run (26); week 3 had 36.
  expect(cardRows(board).map((row) => [row.period, row.window, row.purchases])).toEqual([
    ['latest', '2026-11-23 – 2026-11-29', 30], ['previous', '2026-11-16 – 2026-11-22', 36],
  ]);
  expect(board.history.find((run: { executionId: string }) => run.executionId === ids.week4)).toMatchObject({ superseded: true, replacedBy: ids.week4Rerun });
  // The failed week is a gap in the history chart, with AMC's reason, not a skipped point.
  const history = view(board, 'funnel.history').data.rows.map((row: Record<string, unknown>) => [row.window, row.gap ?? row.purchases]);
  expect(history.slice(-4)).toEqual([['2026-11-02', 25], ['2026-11-09', 'failed'], ['2026-11-16', 36], ['2026-11-23', 30]]);
});

it('compares with the previous window in tables too: campaign A 25 purchases vs 30, Δ −5, Δ % −16.67 %', async () => {
  const board = await dashboard('?compare=previous');
  expect(board.source).toBe('built');
  const campaignA = view(board, 'funnel.campaigns').data.rows.find((row: { campaign: string }) => row.campaign === 'A');
  expect(campaignA).toMatchObject({ purchases: 25, 'purchases.previous': 30, 'purchases.delta': -5 });
  expect(campaignA['purchases.deltaPct']).toBeCloseTo(-1 / 6, 12);
  // Views built now keep the stored views' ids (exports and insights point at them).
  expect(view(board, 'funnel.campaigns').id).toBe(view(await dashboard(), 'funnel.campaigns').id);
});

it('opens week 3: 36 purchases with campaign C withheld, compared with week 2 as a failed gap naming AMC\'s reason', async () => {
  const board = await dashboard(`?executionId=${ids.week3}`);
  expect(board.period).toMatchObject({ kind: 'execution', state: 'ok', executionIds: [ids.week3], timeWindow: { label: 'Nov 16 – Nov 22, 2026' } });
  expect(board.comparison).toMatchObject({ state: 'failed', executionIds: [], reason: `PrivacyThresholdNotMet: ${PRIVACY_REFUSAL}`, timeWindow: { label: 'Nov 9 – Nov 15, 2026' } });
  expect(cardRows(board)).toHaveLength(1);
  expect(cardRows(board)[0]).toMatchObject({ purchases: 36, impressions: 18_000, clicks: 360 });
  expect(view(board, 'funnel.cards').data.filteredRowCount).toBe(1);
  expect(view(board, 'funnel.campaigns').data.rows.find((row: { campaign: string }) => row.campaign === 'C')).toMatchObject({ purchases: null, filteredRowCount: 1 });
  // The problem banner is for the latest run only; week 3 itself is fine.
  expect(board.problem).toBeNull();
});

it('adds up Nov 2 – Nov 29: weeks 1, 3 and the re-run of 4, never week 4 twice; 48,000 impressions, 91 purchases, CTR 1.8125 %, reach unknown', async () => {
  for (const query of ['?from=2026-11-02&to=2026-11-29&compare=none', '?weeks=4&compare=none']) {
    const board = await dashboard(query);
    expect(board.period).toMatchObject({ kind: 'range', state: 'ok', executionIds: [ids.week1, ids.week3, ids.week4Rerun], timeWindow: { label: 'Nov 2 – Nov 29, 2026' } });
    expect(board.period.gaps).toEqual([expect.objectContaining({ state: 'failed', executionId: ids.week2, timeWindow: expect.objectContaining({ label: 'Nov 9 – Nov 15, 2026' }) })]);
    const [totals] = cardRows(board);
    expect(totals).toMatchObject({ impressions: 48_000, clicks: 870, purchases: 91, sales: 4_550 });
    expect(totals.ctr).toBeCloseTo(870 / 48_000, 12);
    expect(totals.reach ?? null).toBeNull();
    expect(view(board, 'funnel.cards').data.filteredRowCount).toBe(1);
    expect(view(board, 'funnel.campaigns').data.rows.find((row: { campaign: string }) => row.campaign === 'A')).toMatchObject({ impressions: 33_000, purchases: 75 });
    expect(view(board, 'funnel.history').data.rows.map((row: Record<string, unknown>) => row.gap ?? row.purchases)).toEqual([25, 'failed', 36, 30]);
    expect(board.insights).toEqual([]);
  }
});

it('compares Nov 16 – Nov 29 with Nov 2 – Nov 15, saying the compared range misses its failed week: 66 vs 25 purchases', async () => {
  const board = await dashboard('?from=2026-11-16&to=2026-11-29');
  expect(board.comparison).toMatchObject({ kind: 'range', state: 'ok', executionIds: [ids.week1], timeWindow: { label: 'Nov 2 – Nov 15, 2026' } });
  expect(board.comparison.gaps.map((gap: { state: string }) => gap.state)).toEqual(['failed']);
  expect(cardRows(board).map((row) => row.purchases)).toEqual([66, 25]);
  expect(view(board, 'funnel.cards').data.comparison.reason).toBe('1 window of it without numbers: failed');
});

it('compares week 1 with the same week a year earlier (Nov 3 – Nov 9, 2025): 25 purchases vs 20, +25 %', async () => {
  const board = await dashboard(`?executionId=${ids.week1}&compare=year`);
  expect(board.comparison).toMatchObject({ comparison: 'year', state: 'ok', executionIds: [ids.yearBefore], timeWindow: { label: 'Nov 3 – Nov 9, 2025' } });
  expect(view(board, 'funnel.cards').data.summary.purchasesChange).toBeCloseTo(0.25, 12);
});

it('compares the re-run with the run it replaced (30 vs 26), and shows the replaced run when asked, marked', async () => {
  const board = await dashboard(`?compareExecutionId=${ids.week4}`);
  expect(cardRows(board).map((row) => row.purchases)).toEqual([30, 26]);
  const replaced = await dashboard(`?executionId=${ids.week4}&compare=none`);
  expect(replaced.period).toMatchObject({ executionIds: [ids.week4], replacedBy: ids.week4Rerun });
  expect(cardRows(replaced)[0].purchases).toBe(26);
});

it('shows a failed execution as failed, with AMC\'s reason and no views', async () => {
  const board = await dashboard(`?executionId=${ids.week2}`);
  expect(board.period).toMatchObject({ state: 'failed', reason: `PrivacyThresholdNotMet: ${PRIVACY_REFUSAL}`, executionIds: [] });
  expect(board.views).toEqual([]);
});

it.each([
  ['?from=2026-11-29&to=2026-11-02', 'to', /must not be before from/],
  ['?from=2026-11-02', 'to', /from and to go together/],
  ['?from=2026-02-30&to=2026-03-02', 'from', /not a day of the calendar/],
  ['?weeks=0', 'weeks', /too small|>=1/i],
  [`?executionId=${'0'.repeat(8)}-0000-4000-8000-000000000000`, 'executionId', /no execution of this report's workflow/],
  ['?executionId=x', 'executionId', /uuid/i],
  ['?compare=year&compareExecutionId=00000000-0000-4000-8000-000000000000', 'compare', /not both/],
  ['?range=all', '(body)', /unrecognized/i],
])('answers 400 naming the field for %s', async (query, field, message) => {
  const response = await member.get(`/v1/reports/${reportId}/dashboard${query}`);
  expect(response.status).toBe(400);
  const issue = response.body.issues.find((entry: { field: string }) => entry.field === field) ?? response.body.issues[0];
  expect(issue.field).toBe(field);
  expect(issue.message).toMatch(message);
});

it('answers 404 for another organization\'s report whatever the period asked', async () => {
  const outsider = await stack.memberApi({ instanceIds: ['amcperiods-other'] });
  expect((await outsider.get(`/v1/reports/${reportId}/dashboard?weeks=4`)).status).toBe(404);
  expect((await outsider.get(`/v1/reports/${reportId}/dashboard?executionId=${ids.week3}`)).status).toBe(404);
});

it('keeps the previous good execution under a banner when the latest result cannot make this dashboard, and the list marks the report', async () => {
  // Week 5 comes back with one funnel stage: AMC succeeded, this funnel cannot use it.
  await deliver({
    name: 'week 5 (one stage)', executionId: 'period-2026-w49', window: { start: '2026-11-30T00:00:00-05:00', end: '2026-12-07T00:00:00-05:00', timeZone: 'America/New_York' },
    occurredAt: '2026-12-07T09:00:00Z', status: 'SUCCEEDED', columns: ['campaign', 'purchases'], rows: [['A', 12], ['B', 3]],
  });
  for (const query of ['', '?compare=previous']) {
    const board = await dashboard(query);
    expect(board.latestRun).toMatchObject({ status: 'SUCCEEDED', outcome: 'unusable', timeWindow: { label: 'Nov 30 – Dec 6, 2026' } });
    expect(board.problem).toMatchObject({
      outcome: 'unusable', code: 'wrong_shape', message: expect.stringMatching(/^a funnel needs at least 2 stage columns/),
      expected: expect.stringMatching(/^a funnel dashboard needs at least 2 of Impressions, Clicks/), showing: { label: 'Nov 23 – Nov 29, 2026' },
    });
    expect(board.period.executionIds).toEqual([ids.week4Rerun]);
    expect(view(board, 'funnel.history').data.rows.at(-1)).toMatchObject({ window: '2026-11-30', gap: 'unusable' });
  }
  const list = await member.get('/v1/reports');
  expect(list.body.items.find((item: { id: string }) => item.id === reportId).lastRun).toMatchObject({ outcome: 'unusable', reason: expect.stringMatching(/stage columns/) });
});

it('previews draft settings on the newest result without storing them: a funnel cannot use week 5, a performance dashboard can', async () => {
  const before = await dashboard();
  const preview = async (body: Record<string, unknown>) => member.post(`/v1/reports/${reportId}/preview`, body);
  const funnel = await preview({ dashboardType: 'funnel' });
  expect(funnel.status).toBe(200);
  expect(funnel.body).toMatchObject({
    execution: { timeWindow: { label: 'Nov 30 – Dec 6, 2026' } },
    profile: { rowCount: 2, columns: [{ name: 'campaign', kind: 'string' }, { name: 'purchases', kind: 'number' }], metrics: { purchases: ['purchases'] } },
    views: [], problem: { code: 'wrong_shape', expected: expect.stringMatching(/^a funnel dashboard needs at least 2 of/) },
  });
  const performance = await preview({ dashboardType: 'performance', dataAggregationSettings: { currency: 'EUR' } });
  expect(performance.status).toBe(200);
  expect(performance.body.problem).toBeNull();
  // Week 5: 12 + 3 purchases.
  const cards = performance.body.views.find((entry: { key: string }) => entry.key === 'performance.cards');
  expect(cards.data.rows[0]).toMatchObject({ purchases: 15 });
  // A draft the settings schema refuses is a 400 at its field; nothing changed on the report.
  const bad = await preview({ dashboardType: 'funnel', dataAggregationSettings: { currency: 'dollars' } });
  expect(bad.status).toBe(400);
  expect(bad.body.issues.map((issue: { field: string }) => issue.field)).toContain('dataAggregationSettings.currency');
  expect((await member.get(`/v1/reports/${reportId}`)).body.dashboardType).toBe('funnel');
  expect((await dashboard()).views.map((entry: { id: string }) => entry.id)).toEqual(before.views.map((entry: { id: string }) => entry.id));
});
