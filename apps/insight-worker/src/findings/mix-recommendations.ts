import type { DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, hashText, idPart } from './finding-id';
import { buildNumbers, buildStatistics } from './finding-numbers';
import { isNamedKey, type MetricCatalog } from './metric-catalog';
import { roundStrength, saturate } from './strength';

/** "Far below the mix": at most half the blended rate. */
export const FAR_BELOW_MIX_RATIO = 0.5;
/** A key with under 5 % of the clicks / spend is too small to act on, however bad its rate. */
export const MIN_VOLUME_SHARE = 0.05;
/** |z| ≥ 2 (two-sided p ≈ 0.05) before a low conversion rate counts as more than chance. */
export const MIN_CONVERSION_Z = 2;

const CAMPAIGN_LIKE = /campaign|line_item|ad_group|creative|placement|order/i;

export function findCampaignDimension(profile: ResultProfile): string | undefined {
  return profile.dimensions.find((dimension) => CAMPAIGN_LIKE.test(dimension) && (profile.dimensionBreakdowns[dimension]?.length ?? 0) >= 2);
}

function namedBuckets(profile: ResultProfile, dimension: string): DimensionBucket[] {
  return (profile.dimensionBreakdowns[dimension] ?? []).filter((bucket) => isNamedKey(bucket.key));
}

/** Campaigns (or line items, …) whose conversion rate or ROAS is far below the blend of all of them. */
export function findMixRecommendations(catalog: MetricCatalog, latest: ExecutionProfile): Finding[] {
  const dimension = findCampaignDimension(latest.profile);
  if (!dimension) return [];
  return [...findLowConversionRate(catalog, latest, dimension), ...findLowRoas(catalog, latest, dimension)];
}

function findLowConversionRate(catalog: MetricCatalog, latest: ExecutionProfile, dimension: string): Finding[] {
  const { purchases, clicks } = catalog.columns;
  const totals = latest.profile.totals;
  if (!purchases || !clicks) return [];
  const allPurchases = totals[purchases];
  const allClicks = totals[clicks];
  // The z-test below treats purchases as successes out of clicks, so it needs purchases ≤ clicks.
  if (!(allClicks > 0) || !(allPurchases >= 0) || allPurchases > allClicks) return [];
  const mixRate = allPurchases / allClicks;
  let best: Finding | undefined;
  for (const bucket of namedBuckets(latest.profile, dimension)) {
    const bucketClicks = bucket.totals[clicks];
    const bucketPurchases = bucket.totals[purchases];
    if (!(bucketClicks > 0) || typeof bucketPurchases !== 'number' || bucketClicks >= allClicks) continue;
    const share = bucketClicks / allClicks;
    const rate = bucketPurchases / bucketClicks;
    if (share < MIN_VOLUME_SHARE || rate > FAR_BELOW_MIX_RATIO * mixRate) continue;
    const z = twoProportionZ(bucketPurchases, bucketClicks, allPurchases - bucketPurchases, allClicks - bucketClicks);
    if (z === undefined || Math.abs(z) < MIN_CONVERSION_Z) continue;
    const strength = roundStrength((1 - rate / mixRate) * saturate(Math.abs(z), 3));
    if (best && best.strength >= strength) continue;
    best = {
      id: findingId('recommendation', 'low_conversion_rate', idPart(dimension), `k${hashText(bucket.key)}`),
      type: 'recommendation',
      metric: 'conversion_rate',
      metricLabel: 'conversion rate',
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

function findLowRoas(catalog: MetricCatalog, latest: ExecutionProfile, dimension: string): Finding[] {
  const { sales, spend } = catalog.columns;
  const totals = latest.profile.totals;
  if (!sales || !spend || !(totals[spend] > 0) || !(totals[sales] >= 0)) return [];
  const mixRoas = totals[sales] / totals[spend];
  if (mixRoas === 0) return [];
  let best: Finding | undefined;
  for (const bucket of namedBuckets(latest.profile, dimension)) {
    const bucketSpend = bucket.totals[spend];
    const bucketSales = bucket.totals[sales];
    if (!(bucketSpend > 0) || typeof bucketSales !== 'number') continue;
    const share = bucketSpend / totals[spend];
    const roas = bucketSales / bucketSpend;
    if (share < MIN_VOLUME_SHARE || roas > FAR_BELOW_MIX_RATIO * mixRoas) continue;
    // ROAS has no binomial error model; how much money sits at the low rate is the evidence.
    const strength = roundStrength((1 - roas / mixRoas) * saturate(share, 0.1));
    if (best && best.strength >= strength) continue;
    best = {
      id: findingId('recommendation', 'low_roas', idPart(dimension), `k${hashText(bucket.key)}`),
      type: 'recommendation',
      metric: 'roas',
      metricLabel: 'ROAS',
      dimension,
      subject: bucket.key,
      ...buildNumbers([
        ['roas', roas, 'ratio'],
        ['mixRoas', mixRoas, 'ratio'],
        ['gapPct', (roas / mixRoas - 1) * 100, 'percent'],
        ['spendSharePct', share * 100, 'percent'],
        ['spend', bucketSpend, 'currency'],
      ]),
      executionIds: [latest.executionId],
      strength,
      statistics: buildStatistics({ share, buckets: namedBuckets(latest.profile, dimension).length }),
    };
  }
  return best ? [best] : [];
}
