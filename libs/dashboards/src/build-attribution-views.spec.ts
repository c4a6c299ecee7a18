import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { profileFixture, singleExecutionInput } from '../test/build-inputs';
import { profileInlineRows } from '@amc-reports/result-profile';
import { buildAttributionViews } from './build-attribution-views';

const view = (views: BuiltView[], key: string): BuiltView => views.find((entry) => entry.key === key)!;

describe('buildAttributionViews', () => {
  let models: ResultProfile;
  beforeAll(async () => {
    models = await profileFixture('attribution_models.csv');
  });

  it('takes every total for one touch model, last touch by default, never the models added up', () => {
    const views = buildAttributionViews(singleExecutionInput(models));
    expect(views.map((entry) => [entry.position, entry.key])).toEqual([
      [0, 'attribution.cards'],
      [1, 'attribution.models'],
      [2, 'attribution.model-comparison'],
      [3, 'attribution.credit-share'],
      [4, 'attribution.campaigns'],
    ]);
    const cards = view(views, 'attribution.cards');
    expect(cards.name).toBe('Key metrics (Last touch model)');
    expect(cards.data.touchModel).toBe('last_touch');
    // Last touch only: 79 + 808 + 802 + 84 + 653 + 77 conversions. Impressions repeat on each model's
    // rows: 2,535,423 once, where adding the four models would say 10,141,692.
    expect(cards.data.rows[0]).toMatchObject({ purchases: 2_503, sales: 77_861.21, impressions: 2_535_423 });
    expect(cards.data.rows[0].salesPerPurchase).toBeCloseTo(77_861.21 / 2_503, 10);
    expect(cards.data.notes?.[0]).toBe('figures for the Last touch model: touch models split the same conversions, so they are never added up');
  });

  it('takes the model the settings choose', () => {
    const cards = view(buildAttributionViews(singleExecutionInput(models, { aggregation: { attributionModel: 'linear' } })), 'attribution.cards');
    expect(cards.data.rows[0]).toMatchObject({ purchases: 2_924.76, sales: 140_612.5 }); // 883.22 + 707.79 + 386.66 + 211.14 + 339.01 + 396.94
  });

  it('compares the models side by side, one row per model', () => {
    const table = view(buildAttributionViews(singleExecutionInput(models)), 'attribution.models');
    expect(table.data.rows.map((row) => [row.model, row.chosen, row.purchases, row.sales])).toEqual([
      ['Last touch', 'yes: the totals above', 2_503, 77_861.21], // 79 + 808 + 802 + 84 + 653 + 77
      ['First touch', '', 2_874, 102_210.56], // 690 + 197 + 260 + 746 + 615 + 366
      ['Linear', '', 2_924.76, 140_612.5],
      ['Position based', '', 1_926.18, 80_170.05], // 275.16 + 299.83 + 246.67 + 840.65 + 82.5 + 181.37
    ]);
  });

  it('pivots campaigns × models: what each model credits each campaign', () => {
    const pivot = view(buildAttributionViews(singleExecutionInput(models)), 'attribution.model-comparison');
    expect(pivot.chart.series.map((series) => [series.field, series.label])).toEqual([
      ['purchases.last_touch', 'Purchases, Last touch'],
      ['purchases.first_touch', 'Purchases, First touch'],
      ['purchases.linear', 'Purchases, Linear'],
      ['purchases.position_based', 'Purchases, Position based'],
    ]);
    // Ranked by the report's model (last touch): Brand_Defense_SB 808 first.
    expect(pivot.data.rows[0]).toMatchObject({ campaign: 'Brand_Defense_SB', 'purchases.last_touch': 808 });
    const holiday = pivot.data.rows.find((row) => row.campaign === 'Holiday_Sponsored_Products')!;
    expect([holiday['purchases.first_touch'], holiday['purchases.last_touch'], holiday['purchases.linear'], holiday['purchases.position_based']]).toEqual([690, 79, 883.22, 275.16]);
  });

  it("gives each campaign's share of credit within each model", () => {
    const share = view(buildAttributionViews(singleExecutionInput(models)), 'attribution.credit-share');
    const holiday = share.data.rows.find((row) => row.campaign === 'Holiday_Sponsored_Products')!;
    expect(holiday['purchases.first_touch']).toBeCloseTo(690 / 2_874, 12); // 24.01 %
    expect(holiday['purchases.last_touch']).toBeCloseTo(79 / 2_503, 12); // 3.16 %
    expect(holiday['purchases.linear']).toBeCloseTo(883.22 / 2_924.76, 12); // 30.20 %
    expect(holiday['purchases.position_based']).toBeCloseTo(275.16 / 1_926.18, 12); // 14.29 %
    // Within a model the shares add up to 100 %.
    const firstTouchTotal = share.data.rows.reduce((sum, row) => sum + (row['purchases.first_touch'] as number), 0);
    expect(firstTouchTotal).toBeCloseTo(1, 12);
  });

  it("lists the campaigns of the report's model with their share of its credit", () => {
    const table = view(buildAttributionViews(singleExecutionInput(models, { aggregation: { attributionModel: 'position_based' } })), 'attribution.campaigns');
    expect(table.name).toBe('Attribution by campaign (Position based model)');
    expect(table.data.rows).toHaveLength(6);
    const row = table.data.rows.find((entry) => entry.campaign === 'Retargeting_DSP_Video')!;
    expect(row).toMatchObject({ purchases: 840.65, sales: 42_296.85 });
    expect(row.purchasesShare).toBeCloseTo(840.65 / 1_926.18, 12); // 43.64 %
    expect(row.salesShare).toBeCloseTo(42_296.85 / 80_170.05, 12); // 52.76 %
  });

  it('falls back to one model by campaign when there is no attribution_model column', () => {
    const profile = profileInlineRows(['campaign', 'conversions', 'total_product_sales'], [['A', 30, 300], ['B', 10, 50]]);
    const views = buildAttributionViews(singleExecutionInput(profile));
    expect(views.map((entry) => entry.key)).toEqual(['attribution.cards', 'attribution.campaigns']);
    expect(views[1].data.rows.map((row) => [row.campaign, row.purchasesShare])).toEqual([
      ['A', 0.75], // 30 / 40
      ['B', 0.25],
    ]);
    expect(views[1].data.notes).toContain('no attribution_model column: one model assumed');
  });

  it.each<[string, string[], unknown[], string]>([
    ['no conversions or sales', ['attribution_model', 'impressions'], ['first_touch', 5], 'needs a conversions / purchases or sales column'],
    ['no model or campaign', ['ad_product_type', 'conversions'], ['DSP', 5], 'needs an attribution_model or a campaign column'],
  ])('rejects a result with %s', (_name, columns, row, message) => {
    expect(() => buildAttributionViews(singleExecutionInput(profileInlineRows(columns, [row])))).toThrow(message);
  });
});
