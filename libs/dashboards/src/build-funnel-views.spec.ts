import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { profileFixture, singleExecutionInput, weeklyExecution } from '../test/build-inputs';
import { profileInlineRows } from '@amc-reports/result-profile';
import { UnusableResultError } from '@amc-reports/result-profile';
import { buildFunnelViews } from './build-funnel-views';

const view = (views: BuiltView[], key: string): BuiltView => {
  const found = views.find((entry) => entry.key === key);
  if (!found) throw new Error(`no view ${key} in ${views.map((entry) => entry.key).join(', ')}`);
  return found;
};

describe('buildFunnelViews', () => {
  let byCampaign: ResultProfile;
  beforeAll(async () => {
    byCampaign = await profileFixture('funnel_by_campaign.csv');
  });

  it('keeps every stage the result has, detail page views included, with rates and drop-off checked by hand', () => {
    const views = buildFunnelViews(singleExecutionInput(byCampaign));
    expect(views.map((entry) => [entry.position, entry.key, entry.viewType])).toEqual([
      [0, 'funnel.cards', 'metric_card'],
      [1, 'funnel.stages', 'chart'],
      [2, 'funnel.conversion-rates', 'chart'],
      [3, 'funnel.campaigns', 'table'],
      [4, 'funnel.ad-products', 'table'],
      [5, 'funnel.history', 'chart'],
      [6, 'funnel.history-rates', 'chart'],
    ]);
    const stages = view(views, 'funnel.stages');
    expect(stages.chart.kind).toBe('funnel');
    const expected = [
      // stage, total, rate from the previous stage, drop-off (count)
      ['Impressions', 9_062_960, null, null],
      ['Clicks', 108_487, 108_487 / 9_062_960 /* 0.011970 */, 8_954_473 /* 9062960 − 108487 */],
      ['Detail page views', 57_465, 57_465 / 108_487 /* 0.529695 */, 51_022 /* 108487 − 57465 */],
      ['Add to cart', 11_589, 11_589 / 57_465 /* 0.201670 */, 45_876 /* 57465 − 11589 */],
      ['Purchases', 4_250, 4_250 / 11_589 /* 0.366727 */, 7_339 /* 11589 − 4250 */],
    ];
    stages.data.rows.forEach((row, index) => {
      const [label, value, rate, dropOff] = expected[index];
      expect(row.stage).toBe(label);
      expect(row.value).toBe(value);
      if (rate === null) expect(row.rateFromPrevious).toBeNull();
      else expect(row.rateFromPrevious).toBeCloseTo(rate as number, 12);
      expect(row.dropOff).toBe(dropOff);
    });
    expect(stages.data.rows[1].rateFromPrevious).toBeCloseTo(0.01197037, 8);
    expect(stages.data.rows[4].rateFromPrevious).toBeCloseTo(0.36672707, 8);
    expect(stages.data.rows[4].dropOffRate).toBeCloseTo(1 - 0.36672707, 8);
    // Overall: 4250 purchases / 9,062,960 impressions, named for what it divides.
    expect(stages.data.summary?.purchaseRateOfImpressions).toBeCloseTo(0.00046894, 8);
    expect(stages.data.filteredRowCount).toBe(0);

    const steps = view(views, 'funnel.conversion-rates');
    expect(steps.data.rows.map((row) => [row.step, row.metric])).toEqual([
      ['Impressions → Clicks', 'ctr'],
      ['Clicks → Detail page views', 'detailPageViewsOfClicks'],
      ['Detail page views → Add to cart', 'addToCartOfDetailPageViews'],
      ['Add to cart → Purchases', 'purchasesOfAddToCart'],
    ]);
    expect(steps.data.summary?.weakestStepIndex).toBe(0); // 1.2 % is the weakest step
    expect(steps.data.formulas?.ctr).toBe(
      'Click-through rate (CTR) = Clicks ÷ Impressions; Clicks: sum of clicks; Impressions: sum of impressions. Sums over rows, then divided.',
    );
  });

  it('headlines the stages, the overall rate and the money metrics the result has as cards', () => {
    const cards = view(buildFunnelViews(singleExecutionInput(byCampaign)), 'funnel.cards');
    expect(cards.chart.series.map((series) => [series.field, series.label, series.format])).toEqual([
      ['impressions', 'Impressions', 'number'],
      ['clicks', 'Clicks', 'number'],
      ['detailPageViews', 'Detail page views', 'number'],
      ['addToCart', 'Add to cart', 'number'],
      ['purchases', 'Purchases', 'number'],
      ['purchaseRateOfImpressions', 'Purchase rate (of impressions)', 'percent'],
      ['sales', 'Sales', 'currency'],
      ['newToBrandShare', 'New-to-brand share (of purchases)', 'percent'],
      // The headline metrics the summary insight states always have a card too.
      ['ctr', 'Click-through rate (CTR)', 'percent'],
      ['purchaseRateOfClicks', 'Purchase rate (of clicks)', 'percent'],
    ]);
    expect(cards.data.rows).toHaveLength(1);
    expect(cards.data.rows[0]).toMatchObject({ period: 'latest', window: '2026-10-05 – 2026-10-11', sales: 134_606.35, purchases: 4_250 });
    expect(cards.data.rows[0].newToBrandShare).toBeCloseTo(1692 / 4250, 12); // 0.398118
  });

  it('adds spend, ROAS and CPA cards when the result has spend, converted from millicents', () => {
    // 2 campaigns: $300 + $200 of spend as millicents, sales $1,000 + $500, 40 + 10 purchases.
    const profile = profileInlineRows(
      ['campaign', 'ad_product_type', 'impressions', 'clicks', 'purchases', 'product_sales', 'total_cost'],
      [
        ['A', 'DSP', 100_000, 1_000, 40, 1_000, 30_000_000],
        ['B', 'SPONSORED_PRODUCTS', 50_000, 400, 10, 500, 20_000_000],
      ],
    );
    const views = buildFunnelViews(singleExecutionInput(profile));
    const [latest] = view(views, 'funnel.cards').data.rows;
    expect(latest).toMatchObject({ spend: 500, sales: 1_500, roas: 3, cpa: 10 });
    expect(view(views, 'funnel.cards').data.spendUnit).toMatchObject({ unit: 'millicents', source: 'detected' });
    expect(view(views, 'funnel.cards').data.notes).toContain('spend: total_cost read as millicents (CPM 3.33)');
    const products = view(views, 'funnel.ad-products');
    expect(products.data.rows.map((row) => [row.adProduct, row.spend, row.roas, row.purchaseRateOfImpressions])).toEqual([
      ['DSP', 300, 3.33333333333333 /* 1,000 / 300 */, 0.0004 /* 40 / 100,000 */],
      ['SPONSORED_PRODUCTS', 200, 2.5, 0.0002],
    ]);
  });

  it('breaks the funnel down by ad product when the result has ad_product_type', () => {
    const products = view(buildFunnelViews(singleExecutionInput(byCampaign)), 'funnel.ad-products');
    expect(products.chart.x).toMatchObject({ field: 'adProduct', label: 'Ad product type' });
    // Summed by hand per ad_product_type; DSP has 3 campaigns.
    expect(products.data.rows.map((row) => [row.adProduct, row.impressions, row.detailPageViews, row.purchases, row.sales])).toEqual([
      ['DSP', 5_589_114, 37_584, 3_187, 109_488.35],
      ['SPONSORED_PRODUCTS', 759_126, 7_197, 425, 9_530.25],
      ['SPONSORED_BRANDS', 1_987_787, 7_054, 335, 7_458.28],
      ['SPONSORED_DISPLAY', 726_933, 5_630, 303, 8_129.47],
    ]);
  });

  it('breaks the funnel down by campaign, largest purchases first', () => {
    const campaigns = view(buildFunnelViews(singleExecutionInput(byCampaign)), 'funnel.campaigns');
    expect(campaigns.data.rows).toHaveLength(8);
    expect(campaigns.data.rows[0]).toMatchObject({
      campaign: 'Prospecting_DSP_Display',
      impressions: 1_814_034,
      clicks: 22_091,
      addToCart: 4_403,
      purchases: 1_907,
      filteredRowCount: 0,
    });
    expect(campaigns.data.rows[0].purchaseRateOfImpressions).toBeCloseTo(1907 / 1_814_034, 12); // 0.00105125
    expect(campaigns.data.rows.map((row) => row.purchases)).toEqual([1907, 533, 516, 425, 335, 303, 116, 115]);
  });

  it('uses detail page views as the second stage when there are no clicks', () => {
    const profile = profileInlineRows(['campaign', 'impressions', 'detail_page_view', 'add_to_cart', 'purchases'], [['A', 1000, 100, 20, 5]]);
    const stages = view(buildFunnelViews(singleExecutionInput(profile)), 'funnel.stages');
    expect(stages.data.rows.map((row) => [row.stage, row.value])).toEqual([
      ['Impressions', 1000],
      ['Detail page views', 100],
      ['Add to cart', 20],
      ['Purchases', 5],
    ]);
  });

  it('takes the stages from data_aggregation_settings.stages', () => {
    const input = singleExecutionInput(byCampaign, {
      aggregation: { stages: [{ column: 'detail_page_view', label: 'Product page' }, { column: 'new_to_brand_purchases' }] },
    });
    const stages = view(buildFunnelViews(input), 'funnel.stages');
    expect(stages.data.rows.map((row) => [row.stage, row.value])).toEqual([
      ['Product page', 57_465],
      ['New-to-brand purchases', 1_692],
    ]);
    // Settings stages are their own metrics, labelled by what they divide.
    expect(stages.data.summary?.newToBrandPurchasesOfDetailPageViews).toBeCloseTo(1692 / 57_465, 12); // 0.029444
    expect(view(buildFunnelViews(input), 'funnel.conversion-rates').data.rows[0].step).toBe('Product page → New-to-brand purchases');
  });

  it('counts the withheld rows of funnel_with_filtered_rows.csv and never sums them', async () => {
    const views = buildFunnelViews(singleExecutionInput(await profileFixture('funnel_with_filtered_rows.csv')));
    const stages = view(views, 'funnel.stages');
    // Only the 5 unfiltered rows: impressions 683731 + 815885 + 613015 + 157244 + 1741204.
    expect(stages.data.rows.map((row) => [row.stage, row.value])).toEqual([
      ['Impressions', 4_011_079],
      ['Clicks', 59_461],
      ['Detail page views', expect.any(Number)],
      ['Add to cart', 5_455],
      ['Purchases', 2_422],
    ]);
    expect(stages.data.filteredRowCount).toBe(3);
    expect(stages.data.summary).toMatchObject({ rowCount: 8, filteredRowCount: 3 });
    expect(stages.data.summary?.purchaseRateOfImpressions).toBeCloseTo(2422 / 4_011_079, 12);
    expect(stages.data.notes).toEqual(["3 rows were withheld by AMC's privacy thresholds: counted, not summed"]);

    const campaigns = view(views, 'funnel.campaigns');
    const withheld = campaigns.data.rows.filter((row) => row.filteredRowCount === 1);
    expect(withheld.map((row) => row.campaign)).toEqual(['Always_On_SP_Generic', 'Competitor_Conquest_SB', 'STV_Awareness_Q4']);
    for (const row of withheld) expect([row.impressions, row.purchases, row.purchaseRateOfImpressions]).toEqual([null, null, null]);
  });

  describe('history', () => {
    let weeks: ResultProfile[];
    beforeAll(async () => {
      weeks = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((week) => profileFixture(`history/funnel_week_0${week}.csv`)));
    });
    const inputFor = (profiles: ResultProfile[], aggregation: unknown = {}) => {
      const history = profiles.map((profile, index) => weeklyExecution(profile, index));
      return { latest: history[history.length - 1], history, settings: { visualization: {}, aggregation } };
    };

    it('builds an 8-point series from the 8 weekly executions', () => {
      const historyView = view(buildFunnelViews(inputFor(weeks)), 'funnel.history');
      expect(historyView.data.rows).toHaveLength(8);
      expect(historyView.data.history?.map((ref) => ref.executionId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((week) => `exec-week-${week - 1}`));
      expect(historyView.data.rows.map((row) => row.window)).toEqual([
        '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23',
      ]);
      // Week totals, summed by hand from each file's 5 rows.
      expect(historyView.data.rows.map((row) => row.impressions)).toEqual([7_156_462, 5_783_830, 7_334_990, 8_167_650, 7_385_136, 6_135_996, 5_477_146, 5_646_900]);
      expect(historyView.data.rows.map((row) => row.purchases)).toEqual([3_945, 2_297, 2_820, 7_929, 4_716, 3_687, 588, 3_027]);
      expect(historyView.data.rows[3].purchaseRateOfImpressions).toBeCloseTo(7929 / 8_167_650, 12); // week 4: 0.000971, the best
      expect(historyView.data.rows[6].purchaseRateOfImpressions).toBeCloseTo(588 / 5_477_146, 12); // week 7: 0.000107, the worst
      expect(historyView.chart.series.at(-1)).toMatchObject({ field: 'purchaseRateOfImpressions', label: 'Purchase rate (of impressions)', format: 'percent' });
    });

    it('keeps the last historyLength executions', () => {
      const rows = view(buildFunnelViews(inputFor(weeks, { historyLength: 3 })), 'funnel.history').data.rows;
      expect(rows.map((row) => row.window)).toEqual(['2026-11-09', '2026-11-16', '2026-11-23']);
    });

    it('lets a newer execution of the same window replace the older one', () => {
      const first = weeklyExecution(weeks[0], 0, 'first-run');
      const restated = weeklyExecution(weeks[1], 0, 'restated-run');
      const input = { latest: restated, history: [first, restated], settings: { visualization: {}, aggregation: {} } };
      const rows = view(buildFunnelViews(input), 'funnel.history').data.rows;
      expect(rows.map((row) => [row.executionId, row.impressions])).toEqual([['restated-run', 5_783_830]]);
    });
  });

  it.each<[string, string[], unknown[], unknown, string]>([
    ['fewer than 2 stage columns', ['campaign', 'impressions', 'product_sales'], ['A', 10, 5], {}, 'a funnel needs at least 2 stage columns'],
    ['a stage column the result lacks', ['campaign', 'impressions', 'clicks'], ['A', 10, 5], { stages: [{ column: 'impressions' }, { column: 'orders' }] }, 'funnel stage "orders" is not a numeric column'],
    ['invalid settings', ['campaign', 'impressions', 'clicks'], ['A', 10, 5], { stages: [{ column: 'impressions' }] }, 'the report settings are invalid: aggregation.stages'],
  ])('rejects %s with a readable reason', (_name, columns, row, aggregation, message) => {
    const input = singleExecutionInput(profileInlineRows(columns, [row]), { aggregation });
    expect(() => buildFunnelViews(input)).toThrow(UnusableResultError);
    expect(() => buildFunnelViews(input)).toThrow(message);
  });

  it('leaves out hidden views and renumbers the rest', () => {
    const views = buildFunnelViews(singleExecutionInput(byCampaign, { visualization: { hiddenViews: ['funnel.conversion-rates', 'funnel.history-rates'] } }));
    expect(views.map((entry) => [entry.position, entry.key])).toEqual([
      [0, 'funnel.cards'],
      [1, 'funnel.stages'],
      [2, 'funnel.campaigns'],
      [3, 'funnel.ad-products'],
      [4, 'funnel.history'],
    ]);
  });
});
