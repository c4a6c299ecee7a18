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

/**
 * The ad products each key is paired with in the dimension × ad product breakdown, indexed once
 * per profile: asked for every campaign, a scan of the pairs each time was quadratic (a sixth of
 * the insight worker's time on 200-campaign results). Profiles come frozen from the reader and
 * the process's cache, so one index serves every job that reads the same profile.
 */
const productIndexes = new WeakMap<ResultProfile, Map<string, Map<string, string[]> | null>>();

function productsByKey(profile: ResultProfile, dimension: string, adProduct: string): Map<string, string[]> | null {
  let byPair = productIndexes.get(profile);
  if (!byPair) productIndexes.set(profile, (byPair = new Map()));
  const pair = `${dimension}\u0000${adProduct}`;
  if (byPair.has(pair)) return byPair.get(pair)!;
  const cross = profile.crossBreakdowns?.find((candidate) => candidate.dimensions.includes(dimension) && candidate.dimensions.includes(adProduct));
  let index: Map<string, string[]> | null = null;
  if (cross) {
    index = new Map();
    const keyAt = cross.dimensions.indexOf(dimension);
    for (const bucket of cross.buckets) {
      const products = index.get(bucket.keys[keyAt]);
      if (products) products.push(bucket.keys[1 - keyAt]);
      else index.set(bucket.keys[keyAt], [bucket.keys[1 - keyAt]]);
    }
  }
  byPair.set(pair, index);
  return index;
}

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
  const products = adProduct ? productsByKey(profile, dimension, adProduct)?.get(key) ?? [] : undefined;
  if (products) {
    if (products.some((product) => VIEW_PRODUCTS.test(product))) return 'view';
    if (products.length > 0 && products.every((product) => CLICK_PRODUCTS.test(product))) return 'click';
  }
  if (VIEW_NAME.test(key)) return 'view';
  if (CLICK_NAME.test(key)) return 'click';
  return 'unknown';
}
