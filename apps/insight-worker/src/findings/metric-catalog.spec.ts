import { profileFromCsv } from '../../test/profile-from-csv';
import { buildMetricCatalog, findKnownColumns, isAdditiveMetric, labelForMetricKey, roundForUnit } from './metric-catalog';

const FUNNEL_CSV = [
  'campaign,impressions,clicks,detail_page_view,add_to_cart,purchases,product_sales,total_cost,conversion_rate,campaign_id_string',
  'A,1000,50,40,20,10,500.5,100,0.2,581000000000',
  'B,3000,50,30,10,5,99.5,150,0.1,582000000000',
].join('\n');

describe('metric catalog', () => {
  it.each([
    ['impressions', true],
    ['product_sales', true],
    ['users_in_bucket', true],
    ['conversion_rate', false],
    ['user_purchase_rate', false],
    ['conversions_per_user', false],
    ['campaign_id_string', false],
    ['avg_frequency', false],
  ])('treats %s as additive: %s', (column, additive) => {
    expect(isAdditiveMetric(column)).toBe(additive);
  });

  it('finds columns by AMC naming, first alias present winning', () => {
    expect(findKnownColumns(['Impressions', 'clicks', 'conversions', 'total_product_sales', 'spend', 'reach'])).toEqual({
      impressions: 'Impressions',
      clicks: 'clicks',
      purchases: 'conversions',
      sales: 'total_product_sales',
      spend: 'spend',
      users: 'reach',
    });
  });

  it('derives CTR, conversion rate, ROAS and funnel stage rates from sums, never from summed rates', () => {
    const profile = profileFromCsv(FUNNEL_CSV);
    const catalog = buildMetricCatalog(profile, { dashboardType: 'funnel' });
    const keys = catalog.metrics.map((metric) => metric.key);
    expect(keys).toEqual([
      'impressions', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales', 'total_cost',
      'ctr', 'conversion_rate', 'roas', 'clicks_to_add_to_cart_rate', 'add_to_cart_to_purchases_rate',
    ]);
    const value = (key: string) => catalog.metrics.find((metric) => metric.key === key)!.valueOf(profile.totals);
    expect(value('ctr')).toBeCloseTo((100 / 4000) * 100, 10); // 2.5 %
    expect(value('conversion_rate')).toBeCloseTo((15 / 100) * 100, 10); // 15 %, not the summed 0.3 of the column
    expect(value('roas')).toBeCloseTo(600 / 250, 10); // 2.4
    expect(value('add_to_cart_to_purchases_rate')).toBeCloseTo(50, 10);
    // Default stages (DESIGN §6): impressions → clicks → add to cart → purchases; the first pair is CTR itself.
    expect(catalog.stages).toEqual(['impressions', 'clicks', 'add_to_cart', 'purchases']);
    expect(catalog.stageRates.map((rate) => rate.key)).toEqual(['ctr', 'clicks_to_add_to_cart_rate', 'add_to_cart_to_purchases_rate']);
    expect(catalog.stageRates[2].label).toBe('add to cart → purchases rate');
  });

  it('takes configured stage columns and ignores stages the result does not have', () => {
    const profile = profileFromCsv(FUNNEL_CSV);
    const catalog = buildMetricCatalog(profile, { dashboardType: 'performance', stageColumns: ['clicks', 'detail_page_view', 'missing', 'purchases'] });
    expect(catalog.stages).toEqual(['clicks', 'detail_page_view', 'purchases']);
    expect(catalog.stageRates.map((rate) => rate.key)).toEqual(['clicks_to_detail_page_view_rate', 'detail_page_view_to_purchases_rate']);
  });

  it('has no stages outside funnels unless configured', () => {
    expect(buildMetricCatalog(profileFromCsv(FUNNEL_CSV), { dashboardType: 'performance' }).stages).toEqual([]);
  });

  it('leaves a rate undefined, not zero, when its denominator is zero or missing', () => {
    const profile = profileFromCsv('campaign,impressions,clicks,purchases\nA,0,0,0');
    const catalog = buildMetricCatalog(profile, { dashboardType: 'performance' });
    expect(catalog.metrics.find((metric) => metric.key === 'ctr')!.valueOf(profile.totals)).toBeUndefined();
    expect(catalog.metrics.find((metric) => metric.key === 'ctr')!.valueOf({ clicks: 5 })).toBeUndefined();
  });

  it.each([
    [5477146.4, 'count', 5477146],
    [99717.574, 'currency', 99717.57],
    [12.25255, 'percent', 12.25],
    [0.68635, 'percent', 0.686],
    [0.012345, 'percent', 0.0123],
    [2.8137, 'ratio', 2.81],
    [-196188.69, 'points', -196188.69],
    [-0.00001, 'count', -0.00001],
  ] as const)('rounds %p as %s to %p', (value, unit, expected) => {
    expect(roundForUnit(value, unit)).toBe(expected);
  });

  it.each([
    ['ctr', 'CTR'],
    ['roas', 'ROAS'],
    ['new_to_brand_purchases', 'new to brand purchases'],
  ])('labels %s as %s', (key, label) => {
    expect(labelForMetricKey(key)).toBe(label);
  });
});
