import type { DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { addSums, getMetric, metricLabel, metricValue, readSums, shareOf, type MetricSums } from '@amc-reports/metrics';
import { windowLabel, periodOf } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, hashText, idPart } from './finding-id';
import { buildNumbers, buildStatistics, type NumberEntry } from './finding-numbers';
import { isNamedKey, type InsightMetrics } from './insight-metrics';
import { resolveThresholds, type InsightThresholds } from './insight-thresholds';
import { roundStrength, saturate } from './strength';
import { touchClassOf, type TouchClass } from './touch-class';

/** "Far below the mix": at most half the blended rate (or, for a cost, at least twice it). */
export const FAR_BELOW_MIX_RATIO = 0.5;
/** |z| ≥ 2 (two-sided p ≈ 0.05) before a low purchase rate counts as more than chance. */
export const MIN_CONVERSION_Z = 2;
/**
 * A campaign buying new customers: its new-to-brand share at least 1.5× the mix's and at least
 * 40 %. Its ROAS is low by design (new customers cost more), so it is not advice to move budget.
 */
export const NTB_HEAVY_RATIO = 1.5;
export const NTB_HEAVY_MIN_SHARE = 0.4;

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

/** Campaigns (or line items, …) far below their peers' purchase rate, and far behind the mix on the metric the report optimises. */
export function findMixRecommendations(catalog: InsightMetrics, latest: ExecutionProfile, thresholds: InsightThresholds = resolveThresholds(undefined)): Finding[] {
  const dimension = findCampaignDimension(latest.profile, catalog);
  if (!dimension) return [];
  return [...findLowPurchaseRate(catalog, latest, dimension, thresholds), ...findLowReturn(catalog, latest, dimension, thresholds)];
}

/** A click-based campaign converts clicks; a view-through campaign converts impressions (most of its purchases follow no click). */
const RATE_OF_CLASS: Record<TouchClass, { rate: 'purchaseRateOfClicks' | 'purchaseRateOfImpressions'; trials: 'clicks' | 'impressions' }> = {
  click: { rate: 'purchaseRateOfClicks', trials: 'clicks' },
  view: { rate: 'purchaseRateOfImpressions', trials: 'impressions' },
  unknown: { rate: 'purchaseRateOfClicks', trials: 'clicks' },
};

function findLowPurchaseRate(catalog: InsightMetrics, latest: ExecutionProfile, dimension: string, thresholds: InsightThresholds): Finding[] {
  const { frame } = catalog;
  const buckets = namedBuckets(latest.profile, dimension).map((bucket) => ({ bucket, sums: readSums(bucket.totals, frame), touch: touchClassOf(latest.profile, catalog, dimension, bucket.key) }));
  const classes = new Set(buckets.map((entry) => entry.touch));
  let best: Finding | undefined;
  for (const touch of classes) {
    const { rate: rateId, trials } = RATE_OF_CLASS[touch];
    const peers = buckets.filter((entry) => entry.touch === touch);
    if (peers.length < 2) continue;
    const all = addSums(peers.map((entry) => entry.sums));
    const allPurchases = all.purchases;
    const allTrials = all[trials];
    // The z-test below treats purchases as successes out of clicks (impressions), so it needs purchases ≤ trials.
    if (allPurchases === undefined || allTrials === undefined || !(allTrials > 0) || !(allPurchases >= 0) || allPurchases > allTrials) continue;
    const mixRate = metricValue(rateId, all);
    if (mixRate === null || mixRate === 0) continue;
    for (const { bucket, sums } of peers) {
      const bucketTrials = sums[trials];
      const bucketPurchases = sums.purchases;
      const rate = metricValue(rateId, sums);
      if (bucketTrials === undefined || bucketPurchases === undefined || rate === null || bucketTrials >= allTrials) continue;
      const share = shareOf(bucketTrials, allTrials)!;
      if (share < thresholds.minVolumeShare || rate > FAR_BELOW_MIX_RATIO * mixRate) continue;
      const z = twoProportionZ(bucketPurchases, bucketTrials, allPurchases - bucketPurchases, allTrials - bucketTrials);
      if (z === undefined || Math.abs(z) < MIN_CONVERSION_Z) continue;
      const strength = roundStrength((1 - rate / mixRate) * saturate(Math.abs(z), 3));
      if (best && best.strength >= strength) continue;
      best = {
        id: findingId('recommendation', 'low_purchase_rate', idPart(dimension), `k${hashText(bucket.key)}`),
        type: 'recommendation',
        kind: 'recommendation.low_purchase_rate',
        metric: rateId,
        metricLabel: metricLabel(rateId, frame),
        dimension,
        subject: bucket.key,
        peers: touch === 'unknown' ? 'all' : touch,
        windows: { latest: windowLabel(latest), period: periodOf(latest) },
        ...buildNumbers([
          ['rate', rate * 100, 'percent'],
          ['mixRate', mixRate * 100, 'percent'],
          ['gapPct', (rate / mixRate - 1) * 100, 'percent'],
          [`${trials}SharePct`, share * 100, 'percent'],
          [trials, bucketTrials, 'count'],
          ['peerCampaigns', peers.length, 'count'],
        ]),
        executionIds: [latest.executionId],
        strength,
        statistics: buildStatistics({ z, buckets: buckets.length }),
      };
    }
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

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Budget advice on the metric the report optimises (visualization_settings.insights.optimizeFor,
 * ROAS by default), read in the result's spend unit. A campaign far behind the mix on it — with at
 * least `minVolumeShare` of spend — is named; when it is a prospecting campaign (most of its
 * purchases new to brand, well above the mix's share), the advice says so instead of "move budget".
 */
function findLowReturn(catalog: InsightMetrics, latest: ExecutionProfile, dimension: string, thresholds: InsightThresholds): Finding[] {
  const { frame } = catalog;
  const metricId = thresholds.optimizeFor;
  const definition = getMetric(metricId);
  const upIsGood = definition.upIsGood !== false;
  const all = readSums(latest.profile.totals, frame);
  const mixValue = metricValue(metricId, all);
  if (all.spend === undefined || !(all.spend > 0) || mixValue === null || mixValue === 0) return [];
  const ntbShare = (sums: MetricSums) => metricValue('newToBrandShare', sums);
  const mixNtb = ntbShare(all);
  let best: Finding | undefined;
  for (const bucket of namedBuckets(latest.profile, dimension)) {
    const sums = readSums(bucket.totals, frame);
    const value = metricValue(metricId, sums);
    if (sums.spend === undefined || !(sums.spend > 0) || value === null) continue;
    const share = shareOf(sums.spend, all.spend)!;
    // How far behind: value ÷ mix for a return, mix ÷ value for a cost (both ≤ 0.5 when far behind).
    const ratio = upIsGood ? value / mixValue : value === 0 ? Infinity : mixValue / value;
    if (share < thresholds.minVolumeShare || !(ratio <= FAR_BELOW_MIX_RATIO)) continue;
    const campaignNtb = ntbShare(sums);
    const prospecting =
      metricId !== 'newToBrandRoas' && campaignNtb !== null && mixNtb !== null && campaignNtb >= NTB_HEAVY_RATIO * mixNtb && campaignNtb >= NTB_HEAVY_MIN_SHARE;
    // Money behind a low return is the evidence (no binomial model); a prospecting campaign's low ROAS is half the news.
    const strength = roundStrength((1 - ratio) * saturate(share, 0.1) * (prospecting ? 0.5 : 1));
    if (best && best.strength >= strength) continue;
    const unit = definition.unit === 'percent' ? 'percent' : definition.unit === 'currency' ? 'currency' : 'ratio';
    const scale = definition.unit === 'percent' ? 100 : 1;
    const ntbEntries: NumberEntry[] =
      campaignNtb !== null && mixNtb !== null
        ? [
            ['newToBrandSharePct', campaignNtb * 100, 'percent'],
            ['mixNewToBrandSharePct', mixNtb * 100, 'percent'],
          ]
        : [];
    const ntbRoas = prospecting ? metricValue('newToBrandRoas', sums) : null;
    const mixNtbRoas = prospecting ? metricValue('newToBrandRoas', all) : null;
    best = {
      id: findingId('recommendation', `low_${idPart(metricId)}`, idPart(dimension), `k${hashText(bucket.key)}`),
      type: 'recommendation',
      kind: 'recommendation.low_return',
      metric: metricId,
      metricLabel: definition.label,
      dimension,
      subject: bucket.key,
      windows: { latest: windowLabel(latest), period: periodOf(latest) },
      ...buildNumbers([
        [metricId, value * scale, unit],
        [`mix${capitalized(metricId)}`, mixValue * scale, unit],
        ['gapPct', (value / mixValue - 1) * 100, 'percent'],
        ['spendSharePct', share * 100, 'percent'],
        ['spend', sums.spend, 'currency'],
        ...ntbEntries,
        ['newToBrandRoas', ntbRoas ?? undefined, 'ratio'],
        ['mixNewToBrandRoas', mixNtbRoas ?? undefined, 'ratio'],
      ]),
      executionIds: [latest.executionId],
      strength,
      statistics: buildStatistics({ share, buckets: namedBuckets(latest.profile, dimension).length, prospecting: prospecting ? 1 : 0 }),
    };
  }
  return best ? [best] : [];
}
