import type { DerivedMetric } from './metric-definition';

const ratio = (
  id: string,
  label: string,
  unit: DerivedMetric['unit'],
  numerator: string,
  denominator: string,
  upIsGood: DerivedMetric['upIsGood'],
  scale?: number,
): DerivedMetric => ({ kind: 'derived', id, label, unit, numerator, denominator, upIsGood, ...(scale ? { scale } : {}) });

/**
 * Every ratio a dashboard, an insight or an export shows, defined once. Labels say what they
 * divide ("Purchase rate (of clicks)" and "Purchase rate (of impressions)" are two metrics, never
 * one "conversion rate"); values are sums of the numerator over sums of the denominator.
 */
export const DERIVED_METRICS: readonly DerivedMetric[] = [
  ratio('ctr', 'Click-through rate (CTR)', 'percent', 'clicks', 'impressions', true),
  ratio('cpc', 'Cost per click (CPC)', 'currency', 'spend', 'clicks', false),
  ratio('cpm', 'Cost per 1,000 impressions (CPM)', 'currency', 'spend', 'impressions', false, 1000),
  ratio('roas', 'Return on ad spend (ROAS)', 'ratio', 'sales', 'spend', true),
  ratio('acos', 'Advertising cost of sales (ACoS)', 'percent', 'spend', 'sales', false),
  ratio('cpa', 'Cost per purchase (CPA)', 'currency', 'spend', 'purchases', false),
  ratio('purchaseRateOfClicks', 'Purchase rate (of clicks)', 'percent', 'purchases', 'clicks', true),
  ratio('purchaseRateOfImpressions', 'Purchase rate (of impressions)', 'percent', 'purchases', 'impressions', true),
  ratio('salesPerPurchase', 'Sales per purchase', 'currency', 'sales', 'purchases', true),
  ratio('newToBrandShare', 'New-to-brand share (of purchases)', 'percent', 'newToBrandPurchases', 'purchases', true),
  ratio('newToBrandSalesShare', 'New-to-brand share (of sales)', 'percent', 'newToBrandSales', 'sales', true),
  ratio('newToBrandRoas', 'New-to-brand ROAS (NTB sales per spend)', 'ratio', 'newToBrandSales', 'spend', true),
  ratio('averageFrequency', 'Average frequency (impressions per reached user)', 'ratio', 'impressions', 'reach', null),
  ratio('purchaseRateOfReach', 'Purchase rate (of reach)', 'percent', 'purchases', 'reach', true),
  ratio('convertedUsersOfReach', 'Converted users (of reach)', 'percent', 'convertedUsers', 'reach', true),
  ratio('convertedUsersOfPathOccurrences', 'Converted users (of path occurrences)', 'percent', 'convertedUsers', 'pathOccurrences', true),
  ratio('purchasesPerPathOccurrence', 'Purchases per path occurrence', 'ratio', 'purchases', 'pathOccurrences', true),
];
