import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { InsightMetrics } from './insight-metrics';

/**
 * Click-based or view-through: AMC attributes DSP (and Sponsored Display) purchases to views as
 * well as clicks, so a DSP campaign's purchases per click are inflated by purchases no click led
 * to, and a sponsored-products campaign compared with such a blend always looks broken. Campaigns
 * are therefore compared only with campaigns of their own class. The class comes from, in order:
 * the view-attributed part of purchases (`purchases_views` > 0), the ad product the result pairs
 * the campaign with (a campaign × ad product breakdown), then the campaign's name.
 */
export type TouchClass = 'click' | 'view' | 'unknown';

const VIEW_PRODUCTS = /dsp|display|video|stv|ott|audio/i;
const CLICK_PRODUCTS = /sponsored[_ ]?(products|brands)|^s[pb]$/i;
const VIEW_NAME = /(^|[^a-z])dsp([^a-z]|$)/i;
const CLICK_NAME = /sponsored[_ ]?(products|brands)|(^|[^a-z])s[pb]([^a-z]|$)/i;

export function touchClassOf(profile: ResultProfile, catalog: InsightMetrics, dimension: string, key: string): TouchClass {
  const purchaseColumns = catalog.frame.columns.purchases?.columns ?? [];
  const viewsColumn = purchaseColumns.length === 2 ? purchaseColumns[1] : undefined;
  if (viewsColumn) {
    const bucket = profile.dimensionBreakdowns[dimension]?.find((candidate) => candidate.key === key);
    const views = bucket?.totals[viewsColumn];
    if (typeof views === 'number') return views > 0 ? 'view' : 'click';
  }
  const adProduct = catalog.dimensions.adProduct;
  const cross = adProduct
    ? profile.crossBreakdowns?.find((candidate) => candidate.dimensions.includes(dimension) && candidate.dimensions.includes(adProduct))
    : undefined;
  if (cross && adProduct) {
    const keyAt = cross.dimensions.indexOf(dimension);
    const products = cross.buckets.filter((bucket) => bucket.keys[keyAt] === key).map((bucket) => bucket.keys[1 - keyAt]);
    if (products.some((product) => VIEW_PRODUCTS.test(product))) return 'view';
    if (products.length > 0 && products.every((product) => CLICK_PRODUCTS.test(product))) return 'click';
  }
  if (VIEW_NAME.test(key)) return 'view';
  if (CLICK_NAME.test(key)) return 'click';
  return 'unknown';
}
