import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileFromCsv } from '../../test/profile-from-csv';
import type { ExecutionProfile } from './finding';
import { findFrequencyRecommendation } from './frequency-recommendation';
import { findWeakestStage } from './funnel-stage-recommendation';
import { buildInsightMetrics as buildMetricCatalog } from './insight-metrics';
import { resolveThresholds } from './insight-thresholds';
import { findMixRecommendations, twoProportionZ } from './mix-recommendations';
import { findOverlapRecommendation } from './overlap-recommendation';
import { wordFinding } from '../wording/templated-wording';

function execution(executionId: string, csv: string): ExecutionProfile {
  return { executionId, timeWindowStart: '2026-10-26T00:00:00Z', timeWindowEnd: '2026-11-02T00:00:00Z', profile: profileFromCsv(csv) };
}

const fixture = (name: string) => readFileSync(join(__dirname, '../../test/fixtures', name), 'utf8');
const FUNNEL_HEADER = 'campaign,impressions,clicks,add_to_cart,purchases';

describe('weakest funnel stage', () => {
  // Stage rates per week: CTR 1 %, clicks → cart 20 %, cart → purchase 50 %; the latest week halves
  // cart → purchase (25 %, −50 % vs its median) while CTR dips 10 % and clicks → cart holds.
  const weeks = [1, 2, 3, 4].map((week) => execution(`w${week}`, `${FUNNEL_HEADER}\nA,100000,1000,200,100`));
  const latest = execution('w5', `${FUNNEL_HEADER}\nA,100000,900,180,45`);

  it('names the stage that fell furthest below its own baseline, against the other stages', () => {
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'funnel' });
    const [finding] = findWeakestStage(catalog, [...weeks, latest], latest);
    // others: CTR −10 %, clicks → cart 0 % → median −5 %; gap = −5 − (−50) = 45 points.
    // strength = (1 − e^(−0.45/0.5)) × (1 − e^(−3/4)) = 0.5934 × 0.5276 = 0.3131.
    expect(finding).toMatchObject({
      id: 'recommendation.weakest_stage',
      kind: 'recommendation.weakest_stage',
      metric: 'purchasesOfAddToCart',
      numbers: { latest: 25, baseline: 50, changePct: -50, otherStagesChangePct: -5, baselinePeriods: 4 },
      executionIds: ['w1', 'w2', 'w3', 'w4', 'w5'],
      strength: 0.3131,
    });
    expect(finding.statistics).toMatchObject({ gap: 45, historySize: 4, stages: 3 });
  });

  it('stays silent when every stage fell alike (a general slump, not a stage)', () => {
    const slump = execution('w5', `${FUNNEL_HEADER}\nA,100000,500,50,12.5`);
    const catalog = buildMetricCatalog(slump.profile, { dashboardType: 'funnel' });
    expect(findWeakestStage(catalog, [...weeks, slump], slump)).toEqual([]);
  });

  it('needs at least 3 earlier executions for a baseline', () => {
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'funnel' });
    expect(findWeakestStage(catalog, [...weeks.slice(0, 2), latest], latest)).toEqual([]);
  });
});

describe('campaigns far below their peers (touch classes kept apart)', () => {
  const latest = execution('e1', fixture('funnel_by_campaign.csv'));
  const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'funnel' });

  it('never holds a click-based campaign against a blend inflated by view-through (DSP) purchases', () => {
    // Against the whole mix, Brand_Defense_SB (335 / 22,131 = 1.51 % of clicks) is 61 % under 3.92 %,
    // but that 3.92 % counts DSP purchases no click led to. Its click-based peers (SP and SB:
    // 760 / 36,601 = 2.08 %) put it at −27 %: not far below.
    expect(findMixRecommendations(catalog, latest).map((finding) => finding.subject)).not.toContain('Brand_Defense_SB');
  });

  it('compares view-through campaigns by purchases per impression, among themselves', () => {
    const [finding] = findMixRecommendations(catalog, latest);
    // DSP and Sponsored Display: 3,490 purchases / 6,316,047 impressions = 0.0553 %; Always_On_SP_Generic
    // (a DSP line in the sample) 116 / 1,573,404 = 0.00737 %, −86.66 %, on 24.91 % of their impressions.
    const z = twoProportionZ(116, 1_573_404, 3_490 - 116, 6_316_047 - 1_573_404)!;
    expect(finding).toMatchObject({
      kind: 'recommendation.low_purchase_rate',
      subject: 'Always_On_SP_Generic',
      peers: 'view',
      metric: 'purchaseRateOfImpressions',
      numbers: { rate: 0.00737, mixRate: 0.0553, gapPct: -86.66, impressionsSharePct: 24.91, impressions: 1_573_404, peerCampaigns: 6 },
    });
    expect(finding.strength).toBeCloseTo((1 - 116 / 1_573_404 / (3_490 / 6_316_047)) * (1 - Math.exp(-Math.abs(z) / 3)), 4);
  });
});

describe('budget advice on the metric the report optimises', () => {
  it('finds the campaign whose ROAS is under half the mix, weighted by its share of spend', () => {
    const latest = execution('e1', 'campaign,total_cost,product_sales\nGood,1000,5000\nPoor,500,500\nTiny,20,10');
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'performance' });
    const [finding] = findMixRecommendations(catalog, latest);
    // mix ROAS 5,510 / 1,520 = 3.625; Poor 1.0 (≤ 1.8125); spend share 500 / 1,520 = 32.89 %.
    // Tiny has ROAS 0.5 but 1.3 % of spend: under the 5 % minimum share.
    expect(finding).toMatchObject({
      kind: 'recommendation.low_return',
      subject: 'Poor',
      metric: 'roas',
      numbers: { roas: 1, mixRoas: 3.63, gapPct: -72.41, spendSharePct: 32.89, spend: 500 },
      units: { roas: 'ratio', spend: 'currency' },
      statistics: { prospecting: 0 },
    });
    expect(finding.strength).toBeCloseTo((1 - 1 / (5510 / 1520)) * (1 - Math.exp(-(500 / 1520) / 0.1)), 4);
  });

  it('does not advise moving budget off a campaign buying new customers: it weighs the new-to-brand share', () => {
    // Prospecting: ROAS 600 / 500 = 1.2 against 6,110 / 1,520 = 4.02 for the mix (−70 %), but 71 of its
    // 100 purchases are new to brand against 101 / 301 = 33.55 % for the mix: ≥ 1.5 × and ≥ 40 %.
    const latest = execution(
      'e1',
      'campaign,total_cost,product_sales,purchases,new_to_brand_purchases\nRetargeting,1000,5500,200,30\nProspecting,500,600,100,71\nTiny,20,10,1,0',
    );
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'performance' });
    const [finding] = findMixRecommendations(catalog, latest);
    expect(finding).toMatchObject({
      subject: 'Prospecting',
      numbers: { roas: 1.2, mixRoas: 4.02, newToBrandSharePct: 71, mixNewToBrandSharePct: 33.55 },
      statistics: { prospecting: 1 },
    });
  });

  it('judges by cost per purchase when the report optimises CPA: a cost far above the mix', () => {
    const latest = execution('e1', 'campaign,total_cost,product_sales,purchases\nCheap,1000,5000,100\nDear,600,3000,20\nTiny,20,10,1');
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'performance' });
    const [finding] = findMixRecommendations(catalog, latest, resolveThresholds({ optimizeFor: 'cpa' }));
    // CPA: mix 1,620 / 121 = $13.39; Dear $30.00 ≥ 2 × $13.39 on 37.04 % of spend (ROAS alike, 5.0 each).
    expect(finding).toMatchObject({ subject: 'Dear', metric: 'cpa', numbers: { cpa: 30, mixCpa: 13.39, spendSharePct: 37.04 }, units: { cpa: 'currency' } });
  });

  it('reads millicent spend as dollars, through the metric layer, before judging ROAS', () => {
    const latest = execution(
      'e1',
      'campaign,impressions,total_cost,product_sales\nGood,500000,100000000,5000\nPoor,250000,50000000,500\nTiny,10000,2000000,10',
    );
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'performance' });
    expect(catalog.frame.spend?.unit).toBe('millicents');
    const [finding] = findMixRecommendations(catalog, latest);
    expect(finding).toMatchObject({ subject: 'Poor', numbers: { roas: 1, mixRoas: 3.63, spend: 500 } });
  });
});

describe('audience overlap', () => {
  it('states the uplift of combined exposure (audience_overlap sample: it converts worse)', () => {
    const latest = execution('e1', fixture('audience_overlap.csv'));
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'audience' });
    const [finding] = findOverlapRecommendation(catalog, latest);
    // Single channel: (15,730 + 11,008 + 1,356) / (437,094 + 317,062 + 73,855) = 3.39 %; two or more:
    // (9,093 + 13,507 + 5,944) / (394,532 + 401,452 + 444,645) = 2.30 %: 0.68×, −32.19 %, on 59.97 % of reach.
    expect(finding).toMatchObject({
      kind: 'recommendation.overlap',
      metric: 'convertedUsersOfReach',
      direction: 'down',
      numbers: { multiChannelRate: 2.3, singleChannelRate: 3.39, upliftPct: -32.19, upliftFactor: 0.68, multiChannelReachSharePct: 59.97 },
    });
  });

  it('states a positive uplift as the number of times better', () => {
    const latest = execution('e1', 'exposure_group,reach,converted_users\nDSP only,100000,500\nSP only,100000,300\nDSP + SP,50000,2000');
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'audience' });
    const [finding] = findOverlapRecommendation(catalog, latest);
    // 2,000 / 50,000 = 4 % against 800 / 200,000 = 0.4 %: 10×, +900 %.
    expect(finding).toMatchObject({ direction: 'up', numbers: { multiChannelRate: 4, singleChannelRate: 0.4, upliftFactor: 10, upliftPct: 900 } });
    expect(wordFinding(finding)).toBe(
      'Combined exposure pays in Oct 26 – Nov 1: converted users (of reach) is 4.00% for users reached on more than one channel against 0.40% ' +
        'for single-channel users, 10.00× (+900.00%); they are 20.00% of reach. Plan campaigns to reach the same users on several channels.',
    );
  });
});

describe('frequency past diminishing returns', () => {
  it('names the bucket past which the purchase rate falls, and the impressions spent beyond it', () => {
    const latest = execution(
      'e1',
      [
        'frequency_bucket,users_in_bucket,impressions,purchases',
        '1,10000,10000,100',
        '2,5000,10000,100',
        '3-5,2000,8000,30',
        '6+,1000,12000,10',
      ].join('\n'),
    );
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'audience' });
    const [finding] = findFrequencyRecommendation(catalog, latest);
    // purchases per user: 1 %, 2 %, 1.5 %, 1 % → peak "2"; beyond: 40 / 3,000 = 1.333 % (≤ 0.8 × 2 %);
    // impressions beyond the peak: 20,000 / 40,000 = 50 %. strength = (1 − 1.333/2) × (1 − e^(−5)) = 0.3311.
    expect(finding).toMatchObject({
      id: 'recommendation.frequency_cap.frequency_bucket',
      kind: 'recommendation.frequency_cap',
      subject: '2',
      numbers: { peakFrequency: 2, peakRatePct: 2, pastPeakRatePct: 1.33, pastPeakSharePct: 50 },
      strength: 0.3311,
    });
  });
});
