import { addDays, dayStart } from '@amc-reports/dashboards';

/**
 * Eight weekly executions of an AMC "funnel by campaign" query, made up here (deterministic):
 * impressions grow week over week, and week 7 collapses (a broken listing: clicks and purchases
 * fall off a cliff) so the demo's insights have a trend and an anomaly to find.
 */
const CAMPAIGNS: [name: string, product: string, impressions: number, ctr: number, dpvRate: number, atcRate: number, buyRate: number, price: number][] = [
  ['Holiday_Sponsored_Products', 'SPONSORED_PRODUCTS', 1_200_000, 0.012, 0.62, 0.31, 0.32, 42.5],
  ['Brand_Defense_SB', 'SPONSORED_BRANDS', 1_600_000, 0.016, 0.45, 0.34, 0.41, 35.1],
  ['Prospecting_DSP_Display', 'DSP', 1_050_000, 0.006, 0.6, 0.33, 0.31, 41.9],
  ['Retargeting_DSP_Video', 'DSP', 640_000, 0.009, 0.55, 0.36, 0.38, 44.0],
  ['ホリデー_スポンサー広告', 'SPONSORED_DISPLAY', 420_000, 0.011, 0.5, 0.3, 0.35, 39.9],
];

export const DEMO_COLUMNS = ['campaign', 'ad_product_type', 'impressions', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales'];

function noise(week: number, index: number): number {
  const x = Math.sin(week * 12.9898 + index * 78.233) * 43_758.5453;
  return 0.94 + (x - Math.floor(x)) * 0.12;
}

export function demoWeek(week: number): (string | number)[][] {
  const collapsed = week === 7;
  return CAMPAIGNS.map(([name, product, base, ctr, dpvRate, atcRate, buyRate, price], index) => {
    const impressions = Math.round(base * (1 + 0.06 * (week - 1)) * noise(week, index));
    const clicks = Math.round(impressions * ctr * (collapsed ? 0.45 : 1) * noise(week + 1, index));
    const dpv = Math.round(clicks * dpvRate * noise(week + 3, index));
    const atc = Math.round(dpv * atcRate);
    const purchases = Math.round(atc * buyRate * noise(week + 2, index) * (collapsed ? 0.2 : 1));
    return [name, product, impressions, clicks, dpv, atc, purchases, Math.round(purchases * price * 100) / 100];
  });
}

/**
 * AMC's window of week `week`: New York's Monday midnight to the next Monday's midnight, the end
 * exclusive (shown as "Sep 28 – Oct 4"); daylight saving ends inside week 6, so the instants of the
 * weeks differ by the hour AMC's do.
 */
export function demoWindow(week: number): { start: string; end: string; timeZone: string } {
  const timeZone = 'America/New_York';
  const first = addDays('2026-09-28', (week - 1) * 7);
  return { start: dayStart(first, timeZone).toISOString(), end: dayStart(addDays(first, 7), timeZone).toISOString(), timeZone };
}
