import { addSums, metricLabel, metricValue, parseChannelCount, readSums, shareOf, type MetricSums } from '@amc-reports/metrics';
import { periodOf, windowLabel } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, idPart } from './finding-id';
import { buildNumbers, buildStatistics } from './finding-numbers';
import { isNamedKey, type InsightMetrics } from './insight-metrics';
import { twoProportionZ } from './mix-recommendations';
import { roundStrength, saturate } from './strength';

/** A difference in conversion under 10 % between combined and single exposure is not worth planning around. */
export const MIN_OVERLAP_UPLIFT = 0.1;

/**
 * Audience overlap: what being reached on several channels is worth. Exposure groups are disjoint
 * ("DSP only", "DSP + Sponsored Products", "All three"), so users and converters add up per group;
 * the multi-channel groups' conversion (converted users, else purchases, of reach) against the
 * single-channel groups' is the uplift of combined exposure. "Reach rose 10 %" says nothing an
 * analyst can act on; "users reached on two or more channels convert 20× better" does.
 */
export function findOverlapRecommendation(catalog: InsightMetrics, latest: ExecutionProfile): Finding[] {
  const dimension = catalog.dimensions.exposureGroup;
  if (!dimension) return [];
  const rateId = catalog.frame.columns.convertedUsers ? 'convertedUsersOfReach' : catalog.frame.columns.purchases ? 'purchaseRateOfReach' : undefined;
  if (!rateId || !catalog.frame.columns.reach) return [];
  const converted = rateId === 'convertedUsersOfReach' ? 'convertedUsers' : 'purchases';
  const groups = (latest.profile.dimensionBreakdowns[dimension] ?? [])
    .filter((bucket) => isNamedKey(bucket.key))
    .map((bucket) => ({ channels: parseChannelCount(bucket.key), sums: readSums(bucket.totals, catalog.frame) }));
  const single = addSums(groups.filter((group) => group.channels === 1).map((group) => group.sums));
  const multi = addSums(groups.filter((group) => (group.channels ?? 0) > 1).map((group) => group.sums));
  const all = addSums(groups.filter((group) => group.channels !== null).map((group) => group.sums));
  const rate = (sums: MetricSums) => metricValue(rateId, sums);
  const singleRate = rate(single);
  const multiRate = rate(multi);
  const multiShare = shareOf(multi.reach, all.reach);
  if (singleRate === null || multiRate === null || singleRate === 0 || multiShare === null) return [];
  const uplift = multiRate / singleRate - 1;
  if (Math.abs(uplift) < MIN_OVERLAP_UPLIFT) return [];
  const z = twoProportionZ(multi[converted] ?? 0, multi.reach ?? 0, single[converted] ?? 0, single.reach ?? 0);
  if (z === undefined || Math.abs(z) < 2) return [];
  return [
    {
      id: findingId('recommendation', 'overlap', idPart(dimension)),
      type: 'recommendation',
      kind: 'recommendation.overlap',
      metric: rateId,
      metricLabel: metricLabel(rateId, catalog.frame),
      dimension,
      direction: uplift < 0 ? 'down' : 'up',
      windows: { latest: windowLabel(latest), period: periodOf(latest) },
      ...buildNumbers([
        ['multiChannelRate', multiRate * 100, 'percent'],
        ['singleChannelRate', singleRate * 100, 'percent'],
        ['upliftPct', uplift * 100, 'percent'],
        ['upliftFactor', multiRate / singleRate, 'ratio'],
        ['multiChannelReachSharePct', multiShare * 100, 'percent'],
        ['multiChannelReach', multi.reach, 'count'],
      ]),
      executionIds: [latest.executionId],
      strength: roundStrength(saturate(Math.abs(uplift), 0.5) * saturate(multiShare, 0.1) * saturate(Math.abs(z), 3)),
      statistics: buildStatistics({ z, groups: groups.length }),
    },
  ];
}
