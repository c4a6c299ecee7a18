import type { BaseMetric } from './metric-definition';

const base = (id: string, label: string, unit: BaseMetric['unit'], stems: string[], extra: Partial<BaseMetric> = {}): BaseMetric => ({
  kind: 'base',
  id,
  label,
  unit,
  upIsGood: true,
  stems,
  ...extra,
});

/**
 * The volumes AMC results report, with the column names they come under in the instructional
 * queries and common custom SQL (sponsored ads and DSP tables name the same thing differently:
 * `purchases` / `conversions` / `total_purchases_14d`; `total_cost` / `spend` / `imp_total_cost`).
 * Ids are the role names `data_aggregation_settings.columns` takes.
 */
export const BASE_METRICS: readonly BaseMetric[] = [
  base('impressions', 'Impressions', 'count', ['impressions', 'impressions_in_bucket', 'impression_count', 'imp_count', 'imps']),
  base('clicks', 'Clicks', 'count', ['clicks', 'click_count']),
  base('detailPageViews', 'Detail page views', 'count', ['detail_page_view', 'detail_page_views', 'dpv']),
  base('addToCart', 'Add to cart', 'count', ['add_to_cart', 'add_to_carts', 'atc']),
  base('purchases', 'Purchases', 'count', ['purchases', 'conversions', 'orders']),
  base('unitsSold', 'Units sold', 'count', ['units_sold', 'units']),
  base('sales', 'Sales', 'currency', ['product_sales', 'sales_amount', 'sales', 'revenue']),
  // Spending more is neither good nor bad news on its own: what it returns is (ROAS, CPA).
  base('spend', 'Spend', 'currency', ['cost', 'spend', 'imp_total_cost', 'media_cost'], { upIsGood: null }),
  base('reach', 'Reach', 'count', ['user_reach', 'reach', 'users_in_bucket', 'unique_users', 'size_of_the_exposure_group', 'users'], {
    distinctUsers: true,
  }),
  base('convertedUsers', 'Converted users', 'count', ['users_that_converted', 'converted_users', 'users_that_purchased', 'purchasing_users'], {
    distinctUsers: true,
  }),
  base('newToBrandPurchases', 'New-to-brand purchases', 'count', ['new_to_brand_purchases', 'ntb_purchases']),
  base('newToBrandSales', 'New-to-brand sales', 'currency', ['new_to_brand_product_sales', 'new_to_brand_sales', 'ntb_product_sales', 'ntb_sales']),
  base('pathOccurrences', 'Path occurrences', 'count', ['path_occurrences', 'path_count', 'occurrences']),
];

export const BASE_METRIC_IDS = [
  'impressions',
  'clicks',
  'detailPageViews',
  'addToCart',
  'purchases',
  'unitsSold',
  'sales',
  'spend',
  'reach',
  'convertedUsers',
  'newToBrandPurchases',
  'newToBrandSales',
  'pathOccurrences',
] as const;
export type BaseMetricId = (typeof BASE_METRIC_IDS)[number];
