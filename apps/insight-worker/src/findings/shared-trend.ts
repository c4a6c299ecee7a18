import { TREND_ALPHA, testTrend, withoutOutliers, MIN_TREND_POINTS, type TrendTest } from './baseline-test';
import type { ExecutionProfile } from './finding';
import { isNamedKey, keySeriesFrom, keyValuesOf, type InsightMetrics, type MetricSeries } from './insight-metrics';
import type { InsightThresholds } from './insight-thresholds';
import { findCampaignDimension } from './mix-recommendations';
import { studentTQuantile } from './student-t';

/** The total's own slope must point the same way at this level before the campaigns' shared slope can carry it. */
export const SHARED_TREND_TOTAL_ALPHA = 0.05;
/** A shared slope needs this many campaigns: two are a comparison, not a panel. */
export const MIN_SHARED_TREND_KEYS = 3;

export interface SharedTrend {
  keys: number;
  slope: number;
  slopeT: number;
  df: number;
  criticalValue: number;
}

/**
 * A trend the campaigns share, for a total whose own test (testTrend at TREND_ALPHA) fell short
 * only because 7–8 points leave the spread badly estimated (t at 5 df needs 6.9 at 0.1 %). Each
 * campaign's log series, its own outliers left out (a campaign that broke last week), is fitted
 * with its own level and one common slope: the spread is then estimated from every campaign's
 * residuals (some 30 degrees of freedom), and the slope is tested at the same TREND_ALPHA.
 *
 * Two guards keep it honest. The total itself must trend the same way at 5 %, with the latest
 * execution left out when an anomaly of that execution already explains the metric (a broken
 * campaign drags last week's total; that is its own story). And the pooled test assumes campaigns
 * vary independently; a shock every campaign shares (a seasonal week) shows in the total's own
 * residuals, which the 5 % test on the total still has to pass.
 */
export function testSharedTrend(
  catalog: InsightMetrics,
  history: readonly ExecutionProfile[],
  series: MetricSeries,
  thresholds: InsightThresholds,
  latestExplained: boolean,
): { total: TrendTest; shared: SharedTrend } | null {
  if (series.metric.kind !== 'sum') return null;
  const latest = history[history.length - 1];
  const dimension = latest ? findCampaignDimension(latest.profile, catalog) : undefined;
  if (!latest || !dimension) return null;
  const totalPoints = series.points
    .filter((point) => !(latestExplained && point.executionId === latest.executionId))
    .map((point) => ({ x: point.index, value: point.value, executionId: point.executionId }));
  const ownTest = testTrend(totalPoints, SHARED_TREND_TOTAL_ALPHA);
  if (!ownTest || !ownTest.significant) return null;
  // The explained latest point is left out like an outlier, so the finding's window ends before it.
  const total = latestExplained ? { ...ownTest, outlierExecutionIds: [...ownTest.outlierExecutionIds, latest.executionId] } : ownTest;
  const latestTotal = series.metric.valueOf(latest.profile.totals, catalog.frameOf(latest)) ?? 0;
  const keys = (latest.profile.dimensionBreakdowns[dimension] ?? []).filter((bucket) => isNamedKey(bucket.key));
  let sxx = 0;
  let sxy = 0;
  let count = 0;
  const panels: { x: number; y: number }[][] = [];
  const columns = keyValuesOf(catalog, history, dimension, series.metric);
  for (const bucket of keys) {
    const share = latestTotal > 0 ? (series.metric.valueOf(bucket.totals, catalog.frameOf(latest)) ?? 0) / latestTotal : 0;
    if (share < thresholds.minVolumeShare) continue;
    const points = keySeriesFrom(history, columns, bucket.key, series.metric);
    if (points.length < MIN_TREND_POINTS || !points.every((point) => point.value > 0)) continue;
    const { kept } = withoutOutliers(points.map((point) => ({ x: point.index, y: Math.log(point.value), executionId: point.executionId })));
    const meanX = kept.reduce((sum, point) => sum + point.x, 0) / kept.length;
    const meanY = kept.reduce((sum, point) => sum + point.y, 0) / kept.length;
    const centred = kept.map((point) => ({ x: point.x - meanX, y: point.y - meanY }));
    for (const point of centred) {
      sxx += point.x ** 2;
      sxy += point.x * point.y;
    }
    count += kept.length;
    panels.push(centred);
  }
  if (panels.length < MIN_SHARED_TREND_KEYS || sxx === 0) return null;
  const slope = sxy / sxx;
  const sse = panels.flat().reduce((sum, point) => sum + (point.y - slope * point.x) ** 2, 0);
  const df = count - panels.length - 1;
  if (df < 1) return null;
  const s = Math.sqrt(sse / df);
  const slopeT = s === 0 ? Math.sign(slope) * Infinity : slope / (s / Math.sqrt(sxx));
  const criticalValue = studentTQuantile(1 - TREND_ALPHA / 2, df);
  if (Math.abs(slopeT) < criticalValue || Math.sign(slope) !== Math.sign(total.slope)) return null;
  return { total, shared: { keys: panels.length, slope, slopeT, df, criticalValue } };
}
