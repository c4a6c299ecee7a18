import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { ColumnOverrides, DimensionRole, MetricRole, SpendUnit } from '@amc-reports/contracts/src/report-settings';
import { UnusableResultError } from '../profile/unusable-result.error';

/**
 * AMC column names per role, most specific first (instructional queries and common custom SQL).
 * Matching is case-insensitive and exact: a prefix match would mistake `clicks_rate` for clicks.
 */
export const METRIC_ALIASES: Record<MetricRole, readonly string[]> = {
  impressions: ['impressions', 'total_impressions', 'impressions_in_bucket', 'impression_count', 'imp_count'],
  clicks: ['clicks', 'total_clicks', 'click_count'],
  detailPageViews: ['detail_page_view', 'detail_page_views', 'total_detail_page_view', 'total_detail_page_views', 'dpv', 'total_dpv'],
  addToCart: ['add_to_cart', 'add_to_carts', 'total_add_to_cart', 'atc', 'total_atc'],
  purchases: ['purchases', 'total_purchases', 'conversions', 'total_conversions', 'orders'],
  sales: ['product_sales', 'total_product_sales', 'sales_amount', 'sales', 'total_sales'],
  spend: ['total_cost', 'spend', 'imp_total_cost', 'total_spend', 'cost'],
  reach: ['user_reach', 'reach', 'users_in_bucket', 'unique_users', 'size_of_the_exposure_group', 'users'],
  convertedUsers: ['users_that_converted', 'converted_users', 'users_that_purchased', 'purchasing_users'],
  newToBrandPurchases: ['new_to_brand_purchases', 'total_new_to_brand_purchases', 'ntb_purchases'],
  newToBrandSales: ['new_to_brand_product_sales', 'new_to_brand_sales', 'ntb_product_sales', 'ntb_sales'],
  unitsSold: ['total_units_sold', 'units_sold', 'units'],
  pathOccurrences: ['path_occurrences', 'path_count', 'occurrences'],
};

export const DIMENSION_ALIASES: Record<DimensionRole, readonly string[]> = {
  campaign: ['campaign', 'campaign_name', 'campaign_id_string', 'campaign_id'],
  adProduct: ['ad_product_type', 'ad_product', 'product_type'],
  attributionModel: ['attribution_model', 'touch_model', 'attribution_type', 'model'],
  exposureGroup: ['exposure_group', 'segment', 'segment_name', 'audience_segment', 'audience'],
  frequencyBucket: ['frequency_bucket', 'frequency'],
  path: ['path', 'conversion_path', 'path_to_conversion'],
};

export interface DetectedColumns {
  metrics: Partial<Record<MetricRole, string>>;
  dimensions: Partial<Record<DimensionRole, string>>;
}

const isMetricRole = (role: string): role is MetricRole => role in METRIC_ALIASES;

/** Finds each role's column by AMC naming; settings overrides win and must name an existing column. */
export function detectColumns(profile: ResultProfile, overrides: ColumnOverrides = {}): DetectedColumns {
  const byLowerName = (names: readonly string[]) => new Map(names.map((name) => [name.toLowerCase(), name]));
  const metricNames = byLowerName(profile.metrics);
  const dimensionNames = byLowerName(profile.dimensions);
  const detected: DetectedColumns = { metrics: {}, dimensions: {} };

  for (const [role, aliases] of Object.entries(METRIC_ALIASES) as Array<[MetricRole, readonly string[]]>) {
    const found = aliases.map((alias) => metricNames.get(alias)).find((name) => name !== undefined);
    if (found) detected.metrics[role] = found;
  }
  for (const [role, aliases] of Object.entries(DIMENSION_ALIASES) as Array<[DimensionRole, readonly string[]]>) {
    const found = aliases.map((alias) => dimensionNames.get(alias)).find((name) => name !== undefined);
    if (found) detected.dimensions[role] = found;
  }

  for (const [role, column] of Object.entries(overrides)) {
    if (column === undefined) continue;
    if (isMetricRole(role)) {
      const name = metricNames.get(column.toLowerCase());
      if (!name) throw missingOverride(role, column, 'numeric', profile);
      detected.metrics[role] = name;
    } else {
      const name = dimensionNames.get(column.toLowerCase());
      if (!name) throw missingOverride(role, column, 'text', profile);
      detected.dimensions[role as DimensionRole] = name;
    }
  }
  return detected;
}

function missingOverride(role: string, column: string, kind: string, profile: ResultProfile): UnusableResultError {
  const available = profile.columns.map((entry) => `${entry.name} (${entry.kind})`).join(', ');
  return new UnusableResultError(
    'wrong_shape',
    `the report settings name column "${column}" for ${role}, but the result has no ${kind} column of that name (columns: ${available})`,
  );
}

export const SPEND_UNIT_DIVISORS: Record<Exclude<SpendUnit, 'auto'>, number> = {
  dollars: 1,
  cents: 100,
  millicents: 100_000,
  microcents: 100_000_000,
};

export interface SpendUnitDecision {
  unit: Exclude<SpendUnit, 'auto'>;
  divisor: number;
  /** Why, for the view notes. */
  reason: string;
}

/** No real campaign pays more than this per thousand impressions; a larger "CPM" means a smaller unit. */
const MAX_PLAUSIBLE_CPM_DOLLARS = 1000;

/**
 * The unit of the spend column. AMC's raw tables report `total_cost` / `imp_total_cost` in
 * millicents and `spend` in microcents, but many queries divide to dollars first (the
 * performance_daily sample's `total_cost` is dollars: CPM $8.53; path_to_conversion's
 * `imp_total_cost` is millicents: read as dollars its CPM would be $16 million). So, unless the
 * settings say: with impressions, the first of dollars → millicents → microcents giving a CPM of at
 * most $1,000; without impressions, millicents for `imp_total_cost` / `total_cost` holding only
 * integers, dollars otherwise.
 */
export function decideSpendUnit(profile: ResultProfile, columns: DetectedColumns, setting: SpendUnit = 'auto'): SpendUnitDecision | null {
  const spendColumn = columns.metrics.spend;
  if (!spendColumn) return null;
  if (setting !== 'auto') {
    return { unit: setting, divisor: SPEND_UNIT_DIVISORS[setting], reason: `${spendColumn} in ${setting} (report settings)` };
  }
  const spend = profile.totals[spendColumn];
  const impressions = columns.metrics.impressions ? profile.totals[columns.metrics.impressions] : undefined;
  if (spend !== undefined && spend > 0 && impressions !== undefined && impressions > 0) {
    for (const unit of ['dollars', 'millicents', 'microcents'] as const) {
      const cpm = (spend / SPEND_UNIT_DIVISORS[unit] / impressions) * 1000;
      if (cpm <= MAX_PLAUSIBLE_CPM_DOLLARS || unit === 'microcents') {
        return { unit, divisor: SPEND_UNIT_DIVISORS[unit], reason: `${spendColumn} read as ${unit} (CPM $${cpm.toFixed(2)})` };
      }
    }
  }
  const stats = profile.metricStats?.[spendColumn];
  const integersOnly = stats !== undefined && Number.isInteger(stats.min) && Number.isInteger(stats.max) && Number.isInteger(spend ?? 0.5);
  if (/^(imp_)?total_cost$/i.test(spendColumn) && integersOnly) {
    return { unit: 'millicents', divisor: SPEND_UNIT_DIVISORS.millicents, reason: `${spendColumn} read as millicents (AMC's unit for it)` };
  }
  return { unit: 'dollars', divisor: 1, reason: `${spendColumn} read as dollars` };
}
