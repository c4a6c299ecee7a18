import { getMetric } from './catalogue';
import { availableMetrics, type MetricFrame } from './metric-frame';
import type { MetricDefinition } from './metric-definition';

/**
 * The numbers a reader looks at first, in reading order: volumes, money, then what they return.
 * Dashboards headline them as cards and the summary insight states them, so both show the same.
 */
export const HEADLINE_METRIC_IDS = [
  'impressions',
  'reach',
  'clicks',
  'purchases',
  'sales',
  'spend',
  'ctr',
  'purchaseRateOfClicks',
  'roas',
  'cpa',
  'newToBrandShare',
  'averageFrequency',
] as const;

/** The headline metrics this result has, at most `limit`; the result's own columns when it has none of them. */
export function headlineMetrics(frame: MetricFrame, limit = 8): MetricDefinition[] {
  const present = new Set(availableMetrics(frame).map((metric) => metric.id));
  const chosen = HEADLINE_METRIC_IDS.filter((id) => present.has(id)).map((id) => getMetric(id));
  const metrics = chosen.length > 0 ? chosen : availableMetrics(frame, { extras: true });
  return metrics.slice(0, limit);
}
