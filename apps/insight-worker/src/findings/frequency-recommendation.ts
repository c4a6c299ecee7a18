import { periodOf, windowLabel } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, idPart } from './finding-id';
import { buildNumbers, buildStatistics } from './finding-numbers';
import { metricLabel, metricValue, readSums } from '@amc-reports/metrics';
import { isNamedKey, type InsightMetrics } from './insight-metrics';
import { roundStrength, saturate } from './strength';

/** Past the peak, a per-user purchase rate under 80 % of the peak's is a diminishing return. */
export const DIMINISHING_RATIO = 0.8;
/** Under 1 % of impressions past the peak is not worth a frequency cap. */
export const MIN_PAST_PEAK_SHARE = 0.01;

const FREQUENCY_DIMENSION = /freq/i;
// AMC frequency buckets read "1", "2", "6-10", "21+": the lower bound orders them.
const BUCKET_BOUNDS = /^\s*(\d+)\s*(?:[-–]\s*(\d+))?\s*\+?\s*$/;

interface FrequencyBucket {
  key: string;
  lower: number;
  upper?: number;
  purchases: number;
  users: number;
  volume: number;
}

/**
 * Frequency buckets past the point of diminishing returns: the bucket where purchases per user
 * peak, and the impressions spent at higher frequencies that convert clearly worse.
 */
export function findFrequencyRecommendation(catalog: InsightMetrics, latest: ExecutionProfile): Finding[] {
  const { frame } = catalog;
  const dimension = catalog.dimensions.frequencyBucket ?? latest.profile.dimensions.find((name) => FREQUENCY_DIMENSION.test(name));
  if (!dimension || !frame.columns.reach || !frame.columns.purchases) return [];
  const buckets: FrequencyBucket[] = [];
  for (const bucket of latest.profile.dimensionBreakdowns[dimension] ?? []) {
    if (!isNamedKey(bucket.key)) continue;
    const bounds = BUCKET_BOUNDS.exec(bucket.key);
    const sums = readSums(bucket.totals, frame);
    if (!bounds || sums.reach === undefined || !(sums.reach > 0) || sums.purchases === undefined) return [];
    buckets.push({
      key: bucket.key,
      lower: Number(bounds[1]),
      upper: bounds[2] === undefined ? undefined : Number(bounds[2]),
      purchases: sums.purchases,
      users: sums.reach,
      volume: sums.impressions ?? sums.reach,
    });
  }
  if (buckets.length < 3) return [];
  buckets.sort((a, b) => a.lower - b.lower);
  // Purchases per reached user: the metric layer's purchase rate (of reach), from the buckets' sums.
  const rateOf = (bucket: { purchases: number; users: number }) => metricValue('purchaseRateOfReach', { purchases: bucket.purchases, reach: bucket.users }) ?? 0;
  const peak = buckets.reduce((best, bucket) => (rateOf(bucket) > rateOf(best) ? bucket : best));
  const pastPeak = buckets.filter((bucket) => bucket.lower > peak.lower);
  if (pastPeak.length === 0 || rateOf(peak) === 0) return [];
  const pastRate = rateOf({
    purchases: pastPeak.reduce((sum, bucket) => sum + bucket.purchases, 0),
    users: pastPeak.reduce((sum, bucket) => sum + bucket.users, 0),
  });
  const share = pastPeak.reduce((sum, bucket) => sum + bucket.volume, 0) / buckets.reduce((sum, bucket) => sum + bucket.volume, 0);
  if (pastRate > DIMINISHING_RATIO * rateOf(peak) || share < MIN_PAST_PEAK_SHARE) return [];
  return [
    {
      id: findingId('recommendation', 'frequency_cap', idPart(dimension)),
      type: 'recommendation',
      kind: 'recommendation.frequency_cap',
      metric: 'purchaseRateOfReach',
      metricLabel: metricLabel('purchaseRateOfReach', frame),
      dimension,
      subject: peak.key,
      windows: { latest: windowLabel(latest), period: periodOf(latest) },
      ...buildNumbers([
        ['peakFrequency', peak.lower, 'count'],
        ['peakFrequencyUpper', peak.upper, 'count'],
        ['peakRatePct', rateOf(peak) * 100, 'percent'],
        ['pastPeakRatePct', pastRate * 100, 'percent'],
        ['pastPeakSharePct', share * 100, 'percent'],
      ]),
      executionIds: [latest.executionId],
      strength: roundStrength((1 - pastRate / rateOf(peak)) * saturate(share, 0.1)),
      statistics: buildStatistics({ buckets: buckets.length, pastPeakBuckets: pastPeak.length }),
    },
  ];
}
