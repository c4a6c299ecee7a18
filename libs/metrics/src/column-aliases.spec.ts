import { resolveMetricColumns } from './column-aliases';
import { resolveDimensionColumns } from './dimension-aliases';

describe('resolveMetricColumns', () => {
  it.each<[string, string]>([
    ['impressions', 'impressions'],
    ['impressions', 'total_impressions'],
    ['impressions', 'impressions_in_bucket'],
    ['impressions', 'IMPRESSIONS'],
    ['clicks', 'clicks'],
    ['clicks', 'total_clicks'],
    ['detailPageViews', 'detail_page_view'],
    ['detailPageViews', 'total_detail_page_view'],
    ['detailPageViews', 'dpv_14d'],
    ['addToCart', 'add_to_cart'],
    ['addToCart', 'total_add_to_cart_14d'],
    ['addToCart', 'atc'],
    ['purchases', 'purchases'],
    ['purchases', 'total_purchases'],
    ['purchases', 'conversions'],
    ['purchases', 'total_purchases_14d'],
    ['sales', 'product_sales'],
    ['sales', 'total_product_sales'],
    ['sales', 'sales_amount'],
    ['sales', 'total_sales_14d'],
    ['spend', 'total_cost'],
    ['spend', 'spend'],
    ['spend', 'imp_total_cost'],
    ['spend', 'total_spend'],
    ['reach', 'user_reach'],
    ['reach', 'users_in_bucket'],
    ['reach', 'size_of_the_exposure_group'],
    ['convertedUsers', 'users_that_converted'],
    ['convertedUsers', 'users_that_purchased'],
    ['newToBrandPurchases', 'new_to_brand_purchases'],
    ['newToBrandPurchases', 'total_new_to_brand_purchases_14d'],
    ['newToBrandSales', 'new_to_brand_product_sales'],
    ['unitsSold', 'total_units_sold'],
    ['pathOccurrences', 'path_occurrences'],
  ])('reads %s from a column named %s', (metric, column) => {
    expect(resolveMetricColumns(['campaign_id', column]).metrics).toEqual({ [metric]: expect.objectContaining({ columns: [column] }) });
  });

  it('never matches a prefix: clicks_rate is no click count', () => {
    expect(resolveMetricColumns(['clicks_rate', 'impressions_share', 'product_sales_per_user']).metrics).toEqual({});
  });

  it('prefers the whole quantity over a windowed one, and the more specific alias', () => {
    const { metrics } = resolveMetricColumns(['purchases_14d', 'purchases', 'conversions', 'sales', 'product_sales']);
    expect(metrics.purchases).toEqual({ columns: ['purchases'], source: 'alias' });
    expect(metrics.sales).toEqual({ columns: ['product_sales'], source: 'alias' });
  });

  it('adds up the click- and view-attributed parts of a quantity', () => {
    const { metrics } = resolveMetricColumns(['purchases_views_14d', 'purchases_clicks_14d', 'total_sales_clicks']);
    expect(metrics.purchases).toEqual({ columns: ['purchases_clicks_14d', 'purchases_views_14d'], qualifier: '14d', source: 'alias' });
    // One part alone is not all sales: the label says which part it is.
    expect(metrics.sales).toEqual({ columns: ['total_sales_clicks'], qualifier: 'click-attributed', source: 'alias' });
  });

  it('lets the settings name the columns and reports the ones the result lacks', () => {
    const resolution = resolveMetricColumns(['imps', 'buys'], { impressions: 'imps', purchases: 'BUYS', clicks: 'taps' });
    expect(resolution.metrics).toEqual({ impressions: { columns: ['imps'], source: 'settings' }, purchases: { columns: ['buys'], source: 'settings' } });
    expect(resolution.missingOverrides).toEqual([{ metric: 'clicks', column: 'taps' }]);
  });
});

describe('resolveDimensionColumns', () => {
  it('finds the dimensions of the AMC samples', () => {
    expect(resolveDimensionColumns(['attribution_model', 'campaign_id_string', 'campaign', 'ad_product_type']).dimensions).toEqual({
      campaign: 'campaign',
      adProduct: 'ad_product_type',
      attributionModel: 'attribution_model',
    });
    expect(resolveDimensionColumns(['exposure_group']).dimensions).toEqual({ exposureGroup: 'exposure_group' });
    expect(resolveDimensionColumns(['frequency_bucket']).dimensions).toEqual({ frequencyBucket: 'frequency_bucket' });
  });

  it('takes overrides and reports the missing ones', () => {
    expect(resolveDimensionColumns(['campaign_label'], { campaign: 'Campaign_Label', path: 'route' })).toEqual({
      dimensions: { campaign: 'campaign_label' },
      missingOverrides: [{ role: 'path', column: 'route' }],
    });
  });
});
