import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileFromCsv } from '../../test/profile-from-csv';
import type { ExecutionProfile } from './finding';
import { findFrequencyRecommendation } from './frequency-recommendation';
import { findWeakestStage } from './funnel-stage-recommendation';
import { buildInsightMetrics as buildMetricCatalog } from './insight-metrics';
import { findMixRecommendations, twoProportionZ } from './mix-recommendations';

function execution(executionId: string, csv: string): ExecutionProfile {
  return { executionId, timeWindowStart: '2026-10-01T00:00:00Z', timeWindowEnd: '2026-10-07T23:59:59Z', profile: profileFromCsv(csv) };
}

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
      metric: 'purchasesOfAddToCart',
      numbers: { latest: 25, baseline: 50, changePct: -50, otherStagesChangePct: -5 },
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

describe('campaigns far below the mix', () => {
  it('finds the campaign whose conversion rate is under half the mix (funnel_by_campaign sample)', () => {
    const csv = readFileSync(join(__dirname, '../../test/fixtures/funnel_by_campaign.csv'), 'utf8');
    const latest = execution('e1', csv);
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'funnel' });
    const [finding] = findMixRecommendations(catalog, latest);
    // Brand_Defense_SB: 335 / 22,131 = 1.5137 %; mix 4,250 / 108,487 = 3.9175 %; gap −61.36 %; clicks share 20.4 %.
    // z: rest = 3,915 / 86,356; pooled 3.9175 %; se = √(p(1−p)(1/22131 + 1/86356)) → z = −20.66.
    const z = twoProportionZ(335, 22131, 3915, 86356)!;
    expect(z).toBeCloseTo(-20.66, 2);
    expect(finding).toMatchObject({
      type: 'recommendation',
      metric: 'purchaseRateOfClicks',
      dimension: 'campaign',
      subject: 'Brand_Defense_SB',
      numbers: { rate: 1.51, mixRate: 3.92, gapPct: -61.36, clicksSharePct: 20.4, clicks: 22131 },
    });
    expect(finding.strength).toBeCloseTo((1 - 335 / 22131 / (4250 / 108487)) * (1 - Math.exp(-Math.abs(z) / 3)), 4);
  });

  it('finds the campaign whose ROAS is under half the mix, weighted by its share of spend', () => {
    const latest = execution('e1', 'campaign,total_cost,product_sales\nGood,1000,5000\nPoor,500,500\nTiny,20,10');
    const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'performance' });
    const [finding] = findMixRecommendations(catalog, latest);
    // mix ROAS 5,510 / 1,520 = 3.625; Poor 1.0 (≤ 1.8125); spend share 500 / 1,520 = 32.89 %.
    // Tiny has ROAS 0.5 but 1.3 % of spend: too small to act on.
    expect(finding).toMatchObject({
      subject: 'Poor',
      metric: 'roas',
      numbers: { roas: 1, mixRoas: 3.63, gapPct: -72.41, spendSharePct: 32.89, spend: 500 },
      units: { roas: 'ratio', spend: 'currency' },
    });
    expect(finding.strength).toBeCloseTo((1 - 1 / (5510 / 1520)) * (1 - Math.exp(-(500 / 1520) / 0.1)), 4);
  });

  it('reads millicent spend as dollars, through the metric layer, before judging ROAS', () => {
    // The same campaigns with total_cost in AMC millicents (× 100,000) and impressions: CPM $1,000+ as
    // dollars is implausible, so the layer reads millicents and every number is the dollars one.
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

describe('frequency past diminishing returns', () => {
  it('finds the peak bucket and the impressions spent beyond it', () => {
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
      subject: '2',
      numbers: { peakFrequency: 2, peakRatePct: 2, pastPeakRatePct: 1.33, pastPeakSharePct: 50 },
      strength: 0.3311,
    });
  });
});
