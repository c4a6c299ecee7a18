import { DERIVED_METRICS } from './derived-metrics';
import { addSums, addSumsAcrossExecutions, availableMetrics, buildMetricFrame, metricLabel, metricValue, readSums } from './metric-frame';

/**
 * One hand-made result: spend in millicents (AMC's total_cost), so every money metric below is
 * computed by hand from $1,500.00 = 150,000,000 millicents ÷ 100,000.
 */
const totals = {
  impressions: 200_000,
  clicks: 1_000,
  detail_page_view: 600,
  add_to_cart: 150,
  purchases: 50,
  product_sales: 2_500,
  total_cost: 150_000_000,
  user_reach: 80_000,
  users_that_converted: 40,
  new_to_brand_purchases: 20,
  new_to_brand_product_sales: 900,
  path_occurrences: 400,
};
const profile = {
  metrics: Object.keys(totals),
  totals,
  metricStats: { total_cost: { min: 50_000_000, max: 100_000_000 } },
};

describe('derived metrics on a hand-computed result', () => {
  const frame = buildMetricFrame(profile);
  const sums = readSums(totals, frame);

  it('reads spend in millicents as dollars, once for the result', () => {
    expect(frame.spend).toMatchObject({ unit: 'millicents', divisor: 100_000, source: 'detected', columns: ['total_cost'] });
    expect(sums.spend).toBe(1_500);
  });

  it.each<[string, number]>([
    ['ctr', 0.005], // 1,000 / 200,000
    ['cpc', 1.5], // 1,500 / 1,000
    ['cpm', 7.5], // 1,500 / 200,000 × 1,000
    ['roas', 1.66666666666667], // 2,500 / 1,500
    ['acos', 0.6], // 1,500 / 2,500
    ['cpa', 30], // 1,500 / 50
    ['purchaseRateOfClicks', 0.05], // 50 / 1,000
    ['purchaseRateOfImpressions', 0.00025], // 50 / 200,000
    ['salesPerPurchase', 50], // 2,500 / 50
    ['newToBrandShare', 0.4], // 20 / 50
    ['newToBrandSalesShare', 0.36], // 900 / 2,500
    ['newToBrandRoas', 0.6], // 900 / 1,500
    ['averageFrequency', 2.5], // 200,000 / 80,000
    ['purchaseRateOfReach', 0.000625], // 50 / 80,000
    ['convertedUsersOfReach', 0.0005], // 40 / 80,000
    ['convertedUsersOfPathOccurrences', 0.1], // 40 / 400
    ['purchasesPerPathOccurrence', 0.125], // 50 / 400
  ])('%s = %p', (id, expected) => {
    expect(metricValue(id, sums)).toBe(expected);
  });

  it('covers every derived metric of the catalogue', () => {
    const computed = DERIVED_METRICS.map((metric) => [metric.id, metricValue(metric, sums)]);
    expect(computed.filter(([, value]) => value === null)).toEqual([]);
    expect(availableMetrics(frame).map((metric) => metric.id)).toEqual(expect.arrayContaining(DERIVED_METRICS.map((metric) => metric.id)));
  });

  it('is null (unknown), never 0, when an input is missing or the denominator is zero', () => {
    expect(metricValue('ctr', { clicks: 5 })).toBeNull();
    expect(metricValue('ctr', { clicks: 5, impressions: 0 })).toBeNull();
    expect(metricValue('clicks', {})).toBeNull();
  });

  it('takes a ratio of sums, never the average of the rows\' ratios', () => {
    // Row A: 10 / 100 = 10 % CTR; row B: 90 / 9,900 = 0.91 %. The rows' mean would be 5.45 %.
    const rows = [
      { clicks: 10, impressions: 100 },
      { clicks: 90, impressions: 9_900 },
    ];
    expect(metricValue('ctr', addSums(rows))).toBe(0.01);
  });

  it('adds executions up except distinct-user counts, which two weeks would count twice', () => {
    const weeks = [
      { impressions: 100, reach: 40, purchases: 2 },
      { impressions: 300, reach: 90, purchases: 4 },
    ];
    expect(addSumsAcrossExecutions(weeks)).toEqual({ impressions: 400, purchases: 6 });
    expect(metricValue('averageFrequency', addSumsAcrossExecutions(weeks))).toBeNull();
  });

  it('leaves a metric out of a sum when one part does not have it (unknown is not zero)', () => {
    expect(addSums([{ clicks: 1, sales: 5 }, { clicks: 2 }])).toEqual({ clicks: 3 });
  });
});

describe('buildMetricFrame', () => {
  it('keeps summable columns no metric claims as metrics of their own, and never rates or ids', () => {
    const frame = buildMetricFrame({ metrics: ['impressions', 'video_completes', 'conversion_rate', 'campaign_id', 'size_of_the_exposure_group'], totals: {} });
    expect(frame.extraColumns).toEqual(['video_completes']);
  });

  it('labels a metric read from a windowed or partial column by what the column holds', () => {
    const frame = buildMetricFrame({ metrics: ['total_purchases_14d', 'purchases_clicks'], totals: {} });
    expect(metricLabel('purchases', frame)).toBe('Purchases (14d)');
    expect(metricLabel('purchaseRateOfClicks', frame)).toBe('Purchase rate (of clicks)');
  });

  it('uses the settings: columns, spend unit and currency', () => {
    const frame = buildMetricFrame(
      { metrics: ['imps', 'money'], totals: { imps: 1000, money: 500 } },
      { columns: { impressions: 'imps', spend: 'MONEY', clicks: 'nope' }, spendUnit: 'cents', currency: 'EUR' },
    );
    expect(frame.columns.spend).toEqual({ columns: ['money'], source: 'settings' });
    expect(frame.spend).toMatchObject({ unit: 'cents', source: 'settings', reason: 'money in cents (report settings)' });
    expect(frame.currency).toBe('EUR');
    expect(frame.missingOverrides).toEqual([{ metric: 'clicks', column: 'nope' }]);
    expect(readSums({ imps: 1000, money: 500 }, frame)).toEqual({ impressions: 1000, spend: 5 });
  });
});
