import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { profileFixture, singleExecutionInput, weeklyExecution } from '../test/build-inputs';
import { profileInlineRows } from '@amc-reports/result-profile';
import { buildPerformanceViews } from './build-performance-views';

const view = (views: BuiltView[], key: string): BuiltView => views.find((entry) => entry.key === key)!;

describe('buildPerformanceViews', () => {
  let daily: ResultProfile;
  beforeAll(async () => {
    daily = await profileFixture('performance_daily.csv');
  });

  it('builds cards, history, daily series and top campaigns in that order', () => {
    expect(buildPerformanceViews(singleExecutionInput(daily)).map((entry) => [entry.position, entry.key, entry.viewType])).toEqual([
      [0, 'performance.cards', 'metric_card'],
      [1, 'performance.history', 'chart'],
      [2, 'performance.daily', 'chart'],
      [3, 'performance.campaigns', 'table'],
    ]);
  });

  it('computes the metric cards of performance_daily.csv, checked by hand', () => {
    const cards = view(buildPerformanceViews(singleExecutionInput(daily)), 'performance.cards');
    const latest = cards.data.rows[0];
    // Sums of the 155 rows (31 days × 5 campaigns).
    expect(latest).toMatchObject({ period: 'latest', impressions: 8_685_300, clicks: 65_093, spend: 47_697.34, purchases: 3_442, sales: 134_208.58 });
    const expected: Array<[string, number]> = [
      ['roas', 134_208.58 / 47_697.34], // 2.8138
      ['ctr', 65_093 / 8_685_300], // 0.7495 %
      ['cpc', 47_697.34 / 65_093], // $0.73
      ['cpm', (47_697.34 / 8_685_300) * 1000], // $5.49
      ['cpa', 47_697.34 / 3_442], // $13.86
      ['purchaseRateOfClicks', 3_442 / 65_093], // 5.29 %
      ['acos', 47_697.34 / 134_208.58], // 35.5 %
    ];
    for (const [field, value] of expected) expect(latest[field]).toBeCloseTo(value, 10);
    expect(latest.roas).toBeCloseTo(2.81375, 5);
    expect(cards.chart.series.map((series) => series.field)).toEqual([
      'impressions', 'clicks', 'spend', 'purchases', 'sales', 'ctr', 'cpc', 'cpm', 'roas', 'cpa', 'purchaseRateOfClicks', 'acos',
    ]);
    expect(cards.chart.series.find((series) => series.field === 'roas')).toMatchObject({ label: 'Return on ad spend (ROAS)', format: 'ratio', metric: 'roas' });
    expect(cards.chart.series.find((series) => series.field === 'purchaseRateOfClicks')?.label).toBe('Purchase rate (of clicks)');
    expect(cards.data.notes).toEqual(['spend: total_cost read as dollars (CPM 5.49)']);
    // The cards name the window their numbers cover.
    expect(cards.data.window).toEqual({ latest: '2026-10-05 – 2026-10-11' });
    expect(cards.data.formulas?.roas).toContain('Sales: sum of product_sales; Spend: sum of total_cost');
  });

  it('draws the window by day with ROAS per day', () => {
    const dailyView = view(buildPerformanceViews(singleExecutionInput(daily)), 'performance.daily');
    expect(dailyView.chart.x).toMatchObject({ field: 'date', type: 'time' });
    expect(dailyView.chart.series.map((series) => series.field)).toEqual(['sales', 'spend', 'roas']);
    expect(dailyView.data.rows).toHaveLength(31);
    const first = dailyView.data.rows[0];
    // 2026-10-01: sales 516.15 + 553.35 + 1768.76 + 1249.55 + 418.05; spend 638.29 + 245.26 + 342.24 + 134.28 + 523.83.
    expect(first).toMatchObject({ date: '2026-10-01', sales: 4_505.86, spend: 1_883.9 });
    expect(first.roas).toBeCloseTo(4_505.86 / 1_883.9, 10); // 2.39
    expect(dailyView.data.rows.at(-1)?.date).toBe('2026-10-31');
  });

  it('ranks campaigns by sales', () => {
    const campaigns = view(buildPerformanceViews(singleExecutionInput(daily)), 'performance.campaigns');
    expect(campaigns.data.rows.map((row) => [row.campaign, row.sales, row.spend])).toEqual([
      ['Prospecting_DSP_Display', 34_600.6, 10_475.02],
      ['Holiday_Sponsored_Products', 30_568.42, 9_777.43],
      ['Launch_Sponsored_Display', 25_644.67, 8_926.09],
      ['Retargeting_DSP_Video', 24_810.24, 9_139.87],
      ['Brand_Defense_SB', 18_584.65, 9_378.93],
    ]);
    expect(campaigns.data.rows[0].roas).toBeCloseTo(34_600.6 / 10_475.02, 10); // 3.30
    const limited = view(buildPerformanceViews(singleExecutionInput(daily, { aggregation: { topCampaigns: 2 } })), 'performance.campaigns');
    expect(limited.data.rows).toHaveLength(2);
  });

  it('compares the latest execution with the previous one', () => {
    const columns = ['campaign', 'impressions', 'clicks', 'total_cost', 'product_sales'];
    const previous = weeklyExecution(profileInlineRows(columns, [['A', 10_000, 100, 50, 100]]), 0);
    const latest = weeklyExecution(profileInlineRows(columns, [['A', 12_000, 90, 50, 150]]), 1);
    const views = buildPerformanceViews({ latest, history: [previous, latest], settings: { visualization: {}, aggregation: {} } });
    const cards = view(views, 'performance.cards');
    expect(cards.data.rows.map((row) => [row.period, row.roas])).toEqual([
      ['latest', 3], // 150 / 50
      ['previous', 2], // 100 / 50
    ]);
    expect(cards.data.summary?.roasChange).toBeCloseTo(0.5, 12); // (3 − 2) / 2
    expect(cards.data.summary?.impressionsChange).toBeCloseTo(0.2, 12);
    const history = view(views, 'performance.history');
    expect(history.data.rows.map((row) => [row.window, row.sales, row.spend])).toEqual([
      ['2026-10-05', 100, 50],
      ['2026-10-12', 150, 50],
    ]);
  });

  it('converts spend from millicents when the CPM says so (path_to_conversion.csv)', async () => {
    const cards = view(buildPerformanceViews(singleExecutionInput(await profileFixture('path_to_conversion.csv'))), 'performance.cards');
    // imp_total_cost 8,587,241,495 millicents = $85,872.41495; over 410,403 impressions → CPM $209.24.
    expect(cards.data.rows[0].spend).toBeCloseTo(85_872.41495, 6);
    expect(cards.data.rows[0].cpm).toBeCloseTo(209.2392, 4);
    expect(cards.data.notes).toEqual(['spend: imp_total_cost read as millicents (CPM 209.24)']);
  });

  it('adds new-to-brand sales and new-to-brand ROAS when the result has them', () => {
    const columns = ['campaign', 'impressions', 'total_cost', 'product_sales', 'new_to_brand_product_sales', 'purchases', 'new_to_brand_purchases'];
    // $400 of spend in millicents; NTB sales 600 of 1,000.
    const input = singleExecutionInput(profileInlineRows(columns, [['A', 50_000, 40_000_000, 1_000, 600, 20, 12]]));
    const cards = view(buildPerformanceViews(input), 'performance.cards');
    expect(cards.data.rows[0]).toMatchObject({ spend: 400, newToBrandSales: 600, newToBrandRoas: 1.5, roas: 2.5, newToBrandShare: 0.6 });
    expect(cards.chart.series.find((series) => series.field === 'newToBrandRoas')?.label).toBe('New-to-brand ROAS (NTB sales per spend)');
  });

  it('names the windows of both executions the cards compare', () => {
    const columns = ['campaign', 'impressions', 'clicks'];
    const previous = weeklyExecution(profileInlineRows(columns, [['A', 10_000, 100]]), 0);
    const latest = weeklyExecution(profileInlineRows(columns, [['A', 12_000, 90]]), 1);
    const cards = view(buildPerformanceViews({ latest, history: [previous, latest], settings: { visualization: {}, aggregation: {} } }), 'performance.cards');
    expect(cards.data.window).toEqual({ latest: '2026-10-12 – 2026-10-18', previous: '2026-10-05 – 2026-10-11' });
    expect(cards.data.rows.map((row) => row.window)).toEqual(['2026-10-12 – 2026-10-18', '2026-10-05 – 2026-10-11']);
  });

  it('rejects a result without any performance metric', () => {
    const input = singleExecutionInput(profileInlineRows(['segment', 'score'], [['A', 1]]));
    expect(() => buildPerformanceViews(input)).toThrow('a performance dashboard needs impressions, clicks, spend, purchases or sales columns; the result has score');
  });
});
