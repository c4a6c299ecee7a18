import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { MetricRole, SpendUnit } from '@amc-reports/contracts/src/report-settings';
import { profileFixture } from '../../test/profile-fixtures';
import { profileInlineRows } from '../profile/profile-csv-stream';
import { decideSpendUnit, detectColumns } from './column-detection';

const profileWith = (columns: string[], row: unknown[]): ResultProfile => profileInlineRows(columns, [row]);

describe('detectColumns', () => {
  it.each<[MetricRole, string]>([
    ['impressions', 'impressions'],
    ['impressions', 'total_impressions'],
    ['impressions', 'impressions_in_bucket'],
    ['clicks', 'clicks'],
    ['detailPageViews', 'detail_page_view'],
    ['detailPageViews', 'total_detail_page_view'],
    ['detailPageViews', 'dpv'],
    ['addToCart', 'add_to_cart'],
    ['addToCart', 'total_add_to_cart'],
    ['addToCart', 'atc'],
    ['purchases', 'purchases'],
    ['purchases', 'total_purchases'],
    ['purchases', 'conversions'],
    ['sales', 'product_sales'],
    ['sales', 'total_product_sales'],
    ['sales', 'sales_amount'],
    ['sales', 'sales'],
    ['spend', 'total_cost'],
    ['spend', 'spend'],
    ['spend', 'imp_total_cost'],
    ['reach', 'user_reach'],
    ['reach', 'reach'],
    ['reach', 'users_in_bucket'],
    ['convertedUsers', 'users_that_converted'],
    ['newToBrandPurchases', 'new_to_brand_purchases'],
    ['pathOccurrences', 'path_occurrences'],
    ['impressions', 'IMPRESSIONS'],
  ])('finds %s in a column named %s', (role, column) => {
    expect(detectColumns(profileWith(['campaign', column], ['A', 1])).metrics[role]).toBe(column);
  });

  it('prefers the more specific alias when several are present', () => {
    const columns = detectColumns(profileWith(['purchases', 'conversions', 'product_sales', 'sales'], [1, 2, 3, 4]));
    expect(columns.metrics).toMatchObject({ purchases: 'purchases', sales: 'product_sales' });
  });

  it('finds the dimensions of the samples', async () => {
    expect(detectColumns(await profileFixture('attribution_models.csv')).dimensions).toEqual({
      campaign: 'campaign',
      adProduct: 'ad_product_type',
      attributionModel: 'attribution_model',
    });
    expect(detectColumns(await profileFixture('audience_overlap.csv')).dimensions).toEqual({ exposureGroup: 'exposure_group' });
    expect(detectColumns(await profileFixture('path_to_conversion.csv')).dimensions).toEqual({ path: 'path' });
  });

  it('lets the settings name the columns', () => {
    const profile = profileWith(['campaign_label', 'imps', 'buys'], ['A', 100, 3]);
    expect(detectColumns(profile, { impressions: 'imps', purchases: 'BUYS', campaign: 'campaign_label' })).toEqual({
      metrics: { impressions: 'imps', purchases: 'buys' },
      dimensions: { campaign: 'campaign_label' },
    });
  });

  it('rejects an override naming a column the result does not have', () => {
    expect(() => detectColumns(profileWith(['campaign', 'clicks'], ['A', 1]), { impressions: 'imps' })).toThrow(
      'the report settings name column "imps" for impressions, but the result has no numeric column of that name (columns: campaign (string), clicks (number))',
    );
  });
});

describe('decideSpendUnit', () => {
  it.each<[string, string, string, number]>([
    // performance_daily: total_cost 47,697.34 / 8,685,300 impressions × 1000 = $5.49 CPM as dollars: plausible.
    ['dollars when the CPM in dollars is plausible', 'performance_daily.csv', 'dollars', 1],
    // path_to_conversion: imp_total_cost 8,587,241,495 / 410,403 impressions × 1000 = $20,923,925 CPM as
    // dollars (absurd) → as millicents (÷ 100,000) $209.24.
    ['millicents when dollars would give an absurd CPM', 'path_to_conversion.csv', 'millicents', 100_000],
  ])('reads spend as %s (%s)', async (_name, fixture, unit, divisor) => {
    const profile = await profileFixture(fixture);
    expect(decideSpendUnit(profile, detectColumns(profile))).toMatchObject({ unit, divisor });
  });

  it.each<[string, string[], unknown[], SpendUnit, string]>([
    // $5 CPM in microcents: 1000 impressions cost 500,000,000 µ¢.
    ['microcents from the CPM', ['impressions', 'spend'], [1000, 500_000_000], 'auto', 'microcents'],
    ['the settings unit', ['impressions', 'total_cost'], [1000, 5], 'cents', 'cents'],
    ['millicents for an integer total_cost without impressions', ['campaign', 'total_cost'], ['A', 123456], 'auto', 'millicents'],
    ['dollars for a decimal total_cost without impressions', ['campaign', 'total_cost'], ['A', 12.5], 'auto', 'dollars'],
  ])('decides %s', (_name, columns, row, setting, unit) => {
    const profile = profileWith(columns, row);
    expect(decideSpendUnit(profile, detectColumns(profile), setting)?.unit).toBe(unit);
  });

  it('is null without a spend column', () => {
    const profile = profileWith(['clicks'], [1]);
    expect(decideSpendUnit(profile, detectColumns(profile))).toBeNull();
  });
});
