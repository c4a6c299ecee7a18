import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { profileFixture, singleExecutionInput, weeklyExecution } from '../test/build-inputs';
import { profileInlineRows } from '@amc-reports/result-profile';
import { buildCustomViews } from './build-custom-views';

const build = (profile: ResultProfile, views: unknown[]): BuiltView[] => buildCustomViews(singleExecutionInput(profile, { visualization: { views } }));

describe('buildCustomViews', () => {
  let daily: ResultProfile;
  let attribution: ResultProfile;
  beforeAll(async () => {
    daily = await profileFixture('performance_daily.csv');
    attribution = await profileFixture('attribution_models.csv');
  });

  it('builds each declared view under a stable custom.<key>', () => {
    const views = build(daily, [
      { key: 'sales-by-campaign', title: 'Sales by campaign', kind: 'bar', x: 'campaign', y: 'product_sales', topN: 3 },
      { key: 'totals', title: 'Totals', kind: 'metric', y: ['impressions', 'clicks'] },
      { key: 'table', title: 'Campaigns', kind: 'table', x: 'campaign', y: ['clicks'] },
    ]);
    expect(views.map((entry) => [entry.position, entry.key, entry.viewType, entry.chart.kind])).toEqual([
      [0, 'custom.sales-by-campaign', 'chart', 'bar'],
      [1, 'custom.totals', 'metric_card', 'metric'],
      [2, 'custom.table', 'table', 'table'],
    ]);
    expect(views[0].data.rows.map((row) => [row.campaign, row.product_sales])).toEqual([
      ['Prospecting_DSP_Display', 34_600.6],
      ['Holiday_Sponsored_Products', 30_568.42],
      ['Launch_Sponsored_Display', 25_644.67],
    ]);
    expect(views[0].data.notes).toEqual(['top 3 of 5', 'spend: total_cost read as dollars (CPM 5.49)']);
    expect(views[1].data.rows).toEqual([{ period: 'latest', window: '2026-10-05 – 2026-10-11', impressions: 8_685_300, clicks: 65_093, filteredRowCount: 0 }]);
  });

  it('charts catalogue metrics by id as ratios of sums per bucket', () => {
    const [roas] = build(daily, [{ key: 'roas', title: 'ROAS by campaign', kind: 'bar', x: 'campaign', metrics: ['roas', 'cpa'], y: 'product_sales' }]);
    expect(roas.chart.series.map((series) => [series.field, series.label, series.format])).toEqual([
      ['product_sales', 'Product sales', 'number'],
      ['roas', 'Return on ad spend (ROAS)', 'ratio'],
      ['cpa', 'Cost per purchase (CPA)', 'currency'],
    ]);
    const prospecting = roas.data.rows.find((row) => row.campaign === 'Prospecting_DSP_Display')!;
    expect(prospecting.roas).toBeCloseTo(34_600.6 / 10_475.02, 10); // 3.30, the campaign's sums divided
    expect(roas.data.formulas?.roas).toContain('Return on ad spend (ROAS) = Sales ÷ Spend');
  });

  it('compares metric cards with the previous usable execution', () => {
    const columns = ['campaign', 'impressions', 'total_cost', 'product_sales', 'purchases', 'new_to_brand_purchases'];
    // Spend in millicents in both weeks: $400 then $500.
    const week = (cost: number, sales: number, purchases: number, ntb: number) => profileInlineRows(columns, [['A', 100_000, cost, sales, purchases, ntb]]);
    const history = [weeklyExecution(week(40_000_000, 1_000, 20, 5), 0), weeklyExecution(week(50_000_000, 1_500, 30, 12), 1)];
    const [card] = buildCustomViews({
      latest: history[1],
      history,
      settings: { visualization: { views: [{ key: 'ratios', title: 'Ratios', kind: 'metric', metrics: ['roas', 'newToBrandShare', 'cpa'] }] }, aggregation: {} },
    });
    expect(card.data.rows).toEqual([
      { period: 'latest', window: '2026-10-12 – 2026-10-18', roas: 3, newToBrandShare: 0.4, cpa: 16.6666666666667, filteredRowCount: 0 },
      { period: 'previous', window: '2026-10-05 – 2026-10-11', roas: 2.5, newToBrandShare: 0.25, cpa: 20, filteredRowCount: 0 },
    ]);
    expect(card.data.window).toEqual({ latest: '2026-10-12 – 2026-10-18', previous: '2026-10-05 – 2026-10-11' });
  });

  it('rejects a metric id the catalogue does not have, naming the field', () => {
    expect(() => build(daily, [{ key: 'x', title: 'X', kind: 'metric', metrics: ['conversionRate'] }])).toThrow(
      /visualization\.views\.0\.metrics\.0: not a metric of the catalogue/,
    );
  });

  it('keeps a view whose metric needs a column the result lacks, with a note', () => {
    const views = build(daily, [{ key: 'ok', title: 'OK', kind: 'metric', y: 'clicks' }, { key: 'ntb', title: 'NTB', kind: 'metric', metrics: ['newToBrandShare'] }]);
    expect(views[1].data.rows).toEqual([]);
    expect(views[1].data.notes?.[0]).toBe('New-to-brand share (of purchases): the result lacks a column this metric is computed from');
  });

  it('reads one touch model of an attribution result unless the view names the model column', () => {
    const [all] = build(attribution, [{ key: 'c', title: 'C', kind: 'metric', y: 'conversions' }]);
    expect(all.data.rows[0].conversions).toBe(2_503); // last touch only, never 2,874 + 2,503 + 2,924.76 + 1,926.18
  });

  it.each<[string, string, number]>([
    // Brand_Defense_SB over its 31 days: 17 + 8 + 12 + 2 + 56 + 29 + 19 + 21 + 9 + 23 + 11 + 3 + 14 + 12 + 8
    // + 14 + 10 + 7 + 5 + 52 + 19 + 15 + 13 + 10 + 12 + 9 + 7 + 14 + 19 + 19 + 3 = 472.
    ['sum', 'purchases', 472],
    ['count', 'purchases', 31],
    ['avg', 'purchases', 472 / 31],
    ['max', 'purchases', 56], // 2026-10-05
    ['min', 'purchases', 2], // 2026-10-04
  ])('aggregates with %s', (aggregation, column, expected) => {
    const [result] = build(daily, [{ key: 'agg', title: 'Agg', kind: 'bar', x: 'campaign', y: column, aggregation, filters: [{ column: 'campaign', op: 'eq', value: 'Brand_Defense_SB' }] }]);
    expect(result.data.rows).toHaveLength(1);
    expect(result.data.rows[0][column]).toBeCloseTo(expected, 12);
  });

  it('averages by date: spend per campaign-day', () => {
    const [byDate] = build(daily, [{ key: 'spend', title: 'Average spend', kind: 'line', x: 'event_date', y: 'total_cost', aggregation: 'avg' }]);
    expect(byDate.chart.x).toMatchObject({ field: 'event_date', type: 'time' });
    expect(byDate.chart.series[0]).toMatchObject({ label: 'Total cost (avg)', format: 'currency' });
    expect(byDate.data.rows).toHaveLength(31);
    expect(byDate.data.rows[0].event_date).toBe('2026-10-01');
    expect(byDate.data.rows[0].total_cost).toBeCloseTo(1_883.9 / 5, 10); // 376.78
  });

  it('filters on metric values after aggregating, like HAVING', () => {
    const [big] = build(daily, [
      { key: 'big', title: 'Big', kind: 'bar', x: 'campaign', y: 'product_sales', filters: [{ column: 'product_sales', op: 'gt', value: 25_000 }] },
    ]);
    expect(big.data.rows.map((row) => row.campaign)).toEqual(['Prospecting_DSP_Display', 'Holiday_Sponsored_Products', 'Launch_Sponsored_Display']);
  });

  it('filters on another dimension through the facet × dimension breakdown', () => {
    const [lastTouch] = build(attribution, [
      {
        key: 'last-touch',
        title: 'Last-touch conversions',
        kind: 'bar',
        x: 'campaign',
        y: 'conversions',
        filters: [{ column: 'attribution_model', op: 'eq', value: 'last_touch' }],
      },
    ]);
    expect(lastTouch.data.rows.map((row) => [row.campaign, row.conversions])).toEqual([
      ['Brand_Defense_SB', 808],
      ['Prospecting_DSP_Display', 802],
      ['Launch_Sponsored_Display', 653],
      ['Retargeting_DSP_Video', 84],
      ['Holiday_Sponsored_Products', 79],
      ['Always_On_SP_Generic', 77],
    ]);
  });

  it('filters a metric card by one dimension', () => {
    const [card] = build(attribution, [
      { key: 'linear', title: 'Linear', kind: 'metric', y: 'conversions', filters: [{ column: 'attribution_model', op: 'in', values: ['linear'] }] },
    ]);
    expect(card.data.rows[0].conversions).toBeCloseTo(2_924.76, 10); // 883.22 + 707.79 + 386.66 + 211.14 + 339.01 + 396.94
  });

  it('plots one point per execution for source: history', async () => {
    const weeks = await Promise.all([1, 2, 3].map((week) => profileFixture(`history/funnel_week_0${week}.csv`)));
    const history = weeks.map((profile, index) => weeklyExecution(profile, index));
    const views = buildCustomViews({
      latest: history[2],
      history,
      settings: { visualization: { views: [{ key: 'purchases', title: 'Purchases', kind: 'line', source: 'history', y: 'purchases' }] }, aggregation: {} },
    });
    expect(views[0].data.rows.map((row) => [row.window, row.purchases])).toEqual([
      ['2026-10-05', 3_945],
      ['2026-10-12', 2_297],
      ['2026-10-19', 2_820],
    ]);
    expect(views[0].data.history).toHaveLength(3);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a y column the result lacks', { kind: 'bar', x: 'campaign', y: ['clicks', 'orders'] }, 'orders: not a numeric column of the result'],
    ['an x that is not a dimension', { kind: 'bar', x: 'clicks', y: 'clicks' }, 'x "clicks" is neither a text column nor the date column of the result'],
    ['a filter on an unknown column', { kind: 'bar', x: 'campaign', y: 'clicks', filters: [{ column: 'region', op: 'eq', value: 'EU' }] }, 'cannot filter on region'],
    ['a date view filtered by a dimension', { kind: 'line', x: 'event_date', y: 'clicks', filters: [{ column: 'campaign', op: 'eq', value: 'A' }] }, 'a view by date cannot filter on another dimension'],
  ])('keeps a view it cannot answer (%s) with no rows and a note', (_name, declaration, note) => {
    const views = build(daily, [
      { key: 'ok', title: 'OK', kind: 'metric', y: 'clicks' },
      { key: 'bad', title: 'Bad', ...declaration },
    ]);
    expect(views[1].data.rows).toEqual([]);
    expect(views[1].data.notes?.[0]).toContain(note);
  });

  it.each<[string, unknown, string]>([
    ['no declared views', {}, 'the report settings are invalid: visualization.views'],
    ['views charting no column of the result', { views: [{ key: 'a', title: 'A', kind: 'metric', y: 'orders' }] }, 'the custom views chart orders, none of which this result has'],
    ['an x-less bar chart', { views: [{ key: 'a', title: 'A', kind: 'bar', y: 'clicks' }] }, 'visualization.views.0.x: x is required for this chart kind'],
  ])('rejects %s', (_name, visualization, message) => {
    expect(() => buildCustomViews(singleExecutionInput(daily, { visualization }))).toThrow(message);
  });
});
