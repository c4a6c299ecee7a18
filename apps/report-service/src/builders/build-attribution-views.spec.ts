import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { profileFixture, singleExecutionInput } from '../../test/profile-fixtures';
import { profileInlineRows } from '../profile/profile-csv-stream';
import { buildAttributionViews } from './build-attribution-views';

const view = (views: BuiltView[], key: string): BuiltView => views.find((entry) => entry.key === key)!;

describe('buildAttributionViews', () => {
  let models: ResultProfile;
  beforeAll(async () => {
    models = await profileFixture('attribution_models.csv');
  });

  it('totals conversions and sales per touch model of attribution_models.csv', () => {
    const views = buildAttributionViews(singleExecutionInput(models));
    expect(views.map((entry) => [entry.position, entry.key])).toEqual([
      [0, 'attribution.models'],
      [1, 'attribution.credit-share'],
      [2, 'attribution.campaigns'],
    ]);
    expect(view(views, 'attribution.models').data.rows.map((row) => [row.model, row.conversions, row.sales])).toEqual([
      ['first_touch', 2_874, 102_210.56], // 690 + 197 + 260 + 746 + 615 + 366
      ['last_touch', 2_503, 77_861.21], // 79 + 808 + 802 + 84 + 653 + 77
      ['linear', 2_924.76, 140_612.5], // 883.22 + 707.79 + 386.66 + 211.14 + 339.01 + 396.94
      ['position_based', 1_926.18, 80_170.05], // 275.16 + 299.83 + 246.67 + 840.65 + 82.5 + 181.37
    ]);
  });

  it("gives each campaign's share of credit within each model", () => {
    const share = view(buildAttributionViews(singleExecutionInput(models)), 'attribution.credit-share');
    expect(share.chart.series.map((series) => series.field)).toEqual(['first_touch', 'last_touch', 'linear', 'position_based']);
    const holiday = share.data.rows.find((row) => row.campaign === 'Holiday_Sponsored_Products')!;
    expect(holiday.first_touch).toBeCloseTo(690 / 2_874, 12); // 24.01 %
    expect(holiday.last_touch).toBeCloseTo(79 / 2_503, 12); // 3.16 %
    expect(holiday.linear).toBeCloseTo(883.22 / 2_924.76, 12); // 30.20 %
    expect(holiday.position_based).toBeCloseTo(275.16 / 1_926.18, 12); // 14.29 %
    const brand = share.data.rows.find((row) => row.campaign === 'Brand_Defense_SB')!;
    expect(brand.last_touch).toBeCloseTo(808 / 2_503, 12); // 32.28 %: last touch favours brand defence
    // Within a model the shares add up to 100 %.
    const firstTouchTotal = share.data.rows.reduce((sum, row) => sum + (row.first_touch as number), 0);
    expect(firstTouchTotal).toBeCloseTo(1, 12);
  });

  it('lists campaign × model rows with credit and sales shares', () => {
    const table = view(buildAttributionViews(singleExecutionInput(models)), 'attribution.campaigns');
    expect(table.data.rows).toHaveLength(24);
    const row = table.data.rows.find((entry) => entry.campaign === 'Retargeting_DSP_Video' && entry.model === 'position_based')!;
    expect(row).toMatchObject({ conversions: 840.65, sales: 42_296.85 });
    expect(row.creditShare).toBeCloseTo(840.65 / 1_926.18, 12); // 43.64 %
    expect(row.salesShare).toBeCloseTo(42_296.85 / 80_170.05, 12); // 52.76 %
  });

  it('falls back to one model by campaign when there is no attribution_model column', () => {
    const profile = profileInlineRows(['campaign', 'conversions', 'total_product_sales'], [['A', 30, 300], ['B', 10, 50]]);
    const views = buildAttributionViews(singleExecutionInput(profile));
    expect(views.map((entry) => entry.key)).toEqual(['attribution.campaigns']);
    expect(views[0].data.rows.map((row) => [row.campaign, row.creditShare])).toEqual([
      ['A', 0.75], // 30 / 40
      ['B', 0.25],
    ]);
    expect(views[0].data.notes).toContain('no attribution_model column: one model assumed');
  });

  it.each<[string, string[], unknown[], string]>([
    ['no conversions or sales', ['attribution_model', 'impressions'], ['first_touch', 5], 'needs a conversions / purchases or sales column'],
    ['no model or campaign', ['ad_product_type', 'conversions'], ['DSP', 5], 'needs an attribution_model or a campaign column'],
  ])('rejects a result with %s', (_name, columns, row, message) => {
    expect(() => buildAttributionViews(singleExecutionInput(profileInlineRows(columns, [row])))).toThrow(message);
  });
});
