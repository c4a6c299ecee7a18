/**
 * Generated weekly AMC profiles shared by the insight benchmarks: 20 campaigns over 4 ad products,
 * 7 metrics, seeded noise, a slow rise in impressions and an optional purchase collapse.
 */
import type { ResultProfile } from '@amc-reports/contracts';

export const HISTORY_CAMPAIGNS = 20;
const CAMPAIGNS = HISTORY_CAMPAIGNS;
const AD_PRODUCTS = ['SPONSORED_PRODUCTS', 'SPONSORED_BRANDS', 'SPONSORED_DISPLAY', 'DSP'];
export const HISTORY_METRICS = ['impressions', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales', 'total_cost'];
const METRICS = HISTORY_METRICS;

/** One week's profile: a slow rise in impressions, noise everywhere, a purchase collapse in the last week of some seeds. */
export function weekProfile(week: number, next: () => number, collapse: boolean): ResultProfile {
  const rows = Array.from({ length: CAMPAIGNS }, (_, campaign) => {
    const impressions = Math.round((200_000 + 40_000 * campaign) * (1 + 0.01 * week) * (0.85 + 0.3 * next()));
    const clicks = Math.round(impressions * (0.008 + 0.004 * next()));
    const dpv = Math.round(clicks * (0.5 + 0.2 * next()));
    const cart = Math.round(dpv * (0.2 + 0.1 * next()));
    const purchases = Math.round(cart * (collapse ? 0.1 : 0.35 + 0.15 * next()));
    const sales = purchases * (30 + 20 * next());
    const cost = clicks * (0.6 + 0.6 * next()) * (campaign === 7 ? 4 : 1);
    return { campaign: `Campaign_${campaign}`, adProduct: AD_PRODUCTS[campaign % 4], values: [impressions, clicks, dpv, cart, purchases, sales, cost] };
  });
  const sum = (subset: typeof rows) =>
    Object.fromEntries(METRICS.map((metric, index) => [metric, subset.reduce((total, row) => total + row.values[index], 0)]));
  const bucketsBy = (keyOf: (row: (typeof rows)[number]) => string) =>
    [...new Set(rows.map(keyOf))].map((key) => {
      const subset = rows.filter((row) => keyOf(row) === key);
      return { key, rowCount: subset.length, filteredRowCount: 0, totals: sum(subset) };
    });
  return {
    version: 1,
    rowCount: rows.length,
    filteredRowCount: 0,
    columns: [],
    metrics: METRICS,
    dimensions: ['campaign', 'ad_product_type'],
    dateColumn: null,
    totals: sum(rows),
    dimensionBreakdowns: { campaign: bucketsBy((row) => row.campaign), ad_product_type: bucketsBy((row) => row.adProduct) },
    dateSeries: [],
  };
}

