import type { DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { getMetric, metricLabel, metricValue, readSums, shareOf } from '@amc-reports/metrics';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, hashText, idPart } from './finding-id';
import { buildNumbers, buildStatistics } from './finding-numbers';
import { isNamedKey, type InsightMetrics } from './insight-metrics';
import { roundStrength, saturate } from './strength';

/** "Far below the mix": at most half the blended rate. */
export const FAR_BELOW_MIX_RATIO = 0.5;
/** A key with under 5 % of the clicks / spend is too small to act on, however bad its rate. */
export const MIN_VOLUME_SHARE = 0.05;
/** |z| ≥ 2 (two-sided p ≈ 0.05) before a low purchase rate counts as more than chance. */
export const MIN_CONVERSION_Z = 2;

const CAMPAIGN_LIKE = /campaign|line_item|ad_group|creative|placement|order/i;

/** The metric layer's campaign column when present, else a campaign-like dimension (line items, creatives). */
export function findCampaignDimension(profile: ResultProfile, catalog?: InsightMetrics): string | undefined {
  const hasKeys = (dimension: string) => (profile.dimensionBreakdowns[dimension]?.length ?? 0) >= 2;
  const known = catalog?.dimensions.campaign;
  if (known && hasKeys(known)) return known;
  return profile.dimensions.find((dimension) => CAMPAIGN_LIKE.test(dimension) && hasKeys(dimension));
}

function namedBuckets(profile: ResultProfile, dimension: string): DimensionBucket[] {
  return (profile.dimensionBreakdowns[dimension] ?? []).filter((bucket) => isNamedKey(bucket.key));
}

/** Campaigns (or line items, …) whose purchase rate or ROAS is far below the blend of all of them. */
export function findMixRecommendations(catalog: InsightMetrics, latest: ExecutionProfile): Finding[] {
  const dimension = findCampaignDimension(latest.profile, catalog);
  if (!dimension) return [];
  return [...findLowPurchaseRate(catalog, latest, dimension), ...findLowRoas(catalog, latest, dimension)];
}

function findLowPurchaseRate(catalog: InsightMetrics, latest: ExecutionProfile, dimension: string): Finding[] {
  const { frame } = catalog;
  const all = readSums(latest.profile.totals, frame);
  const allPurchases = all.purchases;
  const allClicks = all.clicks;
  // The z-test below treats purchases as successes out of clicks, so it needs purchases ≤ clicks.
  if (allPurchases === undefined || allClicks === undefined || !(allClicks > 0) || !(allPurchases >= 0) || allPurchases > allClicks) return [];
  const mixRate = metricValue('purchaseRateOfClicks', all)!;
  let best: Finding | undefined;
  for (const bucket of namedBuckets(latest.profile, dimension)) {
    const sums = readSums(bucket.totals, frame);
    const bucketClicks = sums.clicks;
    const bucketPurchases = sums.purchases;
    const rate = metricValue('purchaseRateOfClicks', sums);
    if (bucketClicks === undefined || bucketPurchases === undefined || rate === null || bucketClicks >= allClicks) continue;
    const share = shareOf(bucketClicks, allClicks)!;
    if (share < MIN_VOLUME_SHARE || rate > FAR_BELOW_MIX_RATIO * mixRate) continue;
    const z = twoProportionZ(bucketPurchases, bucketClicks, allPurchases - bucketPurchases, allClicks - bucketClicks);
    if (z === undefined || Math.abs(z) < MIN_CONVERSION_Z) continue;
    const strength = roundStrength((1 - rate / mixRate) * saturate(Math.abs(z), 3));
    if (best && best.strength >= strength) continue;
    best = {
      id: findingId('recommendation', 'low_purchase_rate', idPart(dimension), `k${hashText(bucket.key)}`),
      type: 'recommendation',
      metric: 'purchaseRateOfClicks',
      metricLabel: metricLabel('purchaseRateOfClicks', frame),
      dimension,
      subject: bucket.key,
      ...buildNumbers([
        ['rate', rate * 100, 'percent'],
        ['mixRate', mixRate * 100, 'percent'],
        ['gapPct', (rate / mixRate - 1) * 100, 'percent'],
        ['clicksSharePct', share * 100, 'percent'],
        ['clicks', bucketClicks, 'count'],
      ]),
      executionIds: [latest.executionId],
      strength,
      statistics: buildStatistics({ z, buckets: namedBuckets(latest.profile, dimension).length }),
    };
  }
  return best ? [best] : [];
}

/** z of p1 − p2 with the pooled standard error; undefined when either side is empty or there is no variance. */
export function twoProportionZ(successes1: number, trials1: number, successes2: number, trials2: number): number | undefined {
  if (trials1 <= 0 || trials2 <= 0) return undefined;
  const pooled = (successes1 + successes2) / (trials1 + trials2);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trials1 + 1 / trials2));
  if (!(standardError > 0)) return undefined;
  return (successes1 / trials1 - successes2 / trials2) / standardError;
}

/** Spend is read in the result's own unit (millicents → dollars), once, by the metric layer. */
function findLowRoas(catalog: InsightMetrics, latest: ExecutionProfile, dimension: string): Finding[] {
  const { frame } = catalog;
  const all = readSums(latest.profile.totals, frame);
  const mixRoas = metricValue('roas', all);
  if (all.spend === undefined || !(all.spend > 0) || mixRoas === null || mixRoas === 0) return [];
  let best: Finding | undefined;
  for (const bucket of namedBuckets(latest.profile, dimension)) {
    const sums = readSums(bucket.totals, frame);
    const roas = metricValue('roas', sums);
    if (sums.spend === undefined || !(sums.spend > 0) || roas === null) continue;
    const share = shareOf(sums.spend, all.spend)!;
    if (share < MIN_VOLUME_SHARE || roas > FAR_BELOW_MIX_RATIO * mixRoas) continue;
    // ROAS has no binomial error model; how much money sits at the low rate is the evidence.
    const strength = roundStrength((1 - roas / mixRoas) * saturate(share, 0.1));
    if (best && best.strength >= strength) continue;
    best = {
      id: findingId('recommendation', 'low_roas', idPart(dimension), `k${hashText(bucket.key)}`),
      type: 'recommendation',
      metric: 'roas',
      metricLabel: getMetric('roas').label,
      dimension,
      subject: bucket.key,
      ...buildNumbers([
        ['roas', roas, 'ratio'],
        ['mixRoas', mixRoas, 'ratio'],
        ['gapPct', (roas / mixRoas - 1) * 100, 'percent'],
        ['spendSharePct', share * 100, 'percent'],
        ['spend', sums.spend, 'currency'],
      ]),
      executionIds: [latest.executionId],
      strength,
      statistics: buildStatistics({ share, buckets: namedBuckets(latest.profile, dimension).length }),
    };
  }
  return best ? [best] : [];
}
