import { CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C, funnelWeeks, type WeekChange } from '../../test/funnel-weeks';
import { findInsights } from './find-insights';
import type { Finding } from './finding';

const campaigns = [CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C];
/** Six ordinary weeks (±3 % wiggle), then week 7 as the change says. */
function anomaliesOfWeek7(change: WeekChange): Finding[] {
  const history = funnelWeeks(7, campaigns, (campaign, week) => (week === 6 ? change(campaign, week) : {}));
  return findInsights({ dashboardType: 'funnel', latest: history[6], history, views: [] }).filter((finding) => finding.type === 'anomaly');
}

describe('anomaly findings, one per cause', () => {
  it('states a whole-funnel collapse once, at the top of the funnel, with what followed', () => {
    // Week 7 impressions: 1,000,000 × 0.5 × 0.97 + 800,000 × 0.5 × 1.005 + 600,000 × 0.5 × 1 = 1,187,000.
    const [collapse, ...others] = anomaliesOfWeek7(() => ({ impressions: 0.5 }));
    expect(others).toEqual([]);
    expect(collapse).toMatchObject({
      id: 'anomaly.impressions',
      kind: 'anomaly.metric',
      direction: 'down',
      assessment: 'unfavourable',
      numbers: { latest: 1_187_000, expected: 2_400_000, changePct: -50.62, baselinePeriods: 6 },
      windows: { latest: 'Oct 19–25', baseline: 'Sep 7 – Oct 18', period: 'week' },
    });
    expect(collapse.consequences!.map((consequence) => consequence.metric)).toEqual(['clicks', 'purchases', 'sales', 'spend']);
    expect(collapse.numbers).toMatchObject({ clicksChangePct: -50.15, purchasesChangePct: -50.79, salesChangePct: -50.55, spendChangePct: -50.51 });
  });

  it('makes a click-through drop the cause of the clicks, purchases and sales that followed it', () => {
    const [drop, ...others] = anomaliesOfWeek7(() => ({ ctr: 0.5 }));
    expect(others).toEqual([]);
    expect(drop).toMatchObject({ id: 'anomaly.ctr', direction: 'down', numbers: { latest: 0.45, expected: 0.88, changePct: -49.52 }, statistics: { funnelStep: 1 } });
    expect(drop.consequences!.map((consequence) => consequence.metric)).toEqual(
      expect.arrayContaining(['clicks', 'purchases', 'sales', 'roas', 'cpc', 'cpa']),
    );
  });

  it('names the campaign that broke, with the totals it took down', () => {
    const [broken, ...others] = anomaliesOfWeek7((campaign) => (campaign === CAMPAIGN_A ? { impressions: 0.1 } : {}));
    expect(others).toEqual([]);
    expect(broken).toMatchObject({
      kind: 'anomaly.campaign',
      subject: 'Always_On_SP',
      dimension: 'campaign',
      metric: 'impressions',
      direction: 'down',
      numbers: { latest: 97_000, changePct: -90.35, sharePct: 41.84, purchasesOwnChangePct: -90.24, impressionsChangePct: -37.56, purchasesChangePct: -45.73 },
    });
    expect(broken.consequences![0]).toMatchObject({ metric: 'purchases', scope: 'subject' });
  });

  it('sees volume moving between campaigns under a steady total as one mix shift, not a break and a surge', () => {
    const [shift, ...others] = anomaliesOfWeek7((campaign) => (campaign === CAMPAIGN_A ? { impressions: 0.4 } : campaign === CAMPAIGN_C ? { impressions: 2 } : {}));
    expect(others).toEqual([]);
    expect(shift).toMatchObject({
      kind: 'anomaly.mix_shift',
      subject: 'Always_On_SP',
      counterpart: 'Brand_SB',
      numbers: { totalChangePct: -0.5, fromChangePct: -61.39, fromShareBeforePct: 41.84, fromSharePct: 16.22, toChangePct: 100.36, toSharePct: 50.17 },
    });
  });

  it('raises nothing on six ordinary weeks', () => {
    expect(anomaliesOfWeek7(() => ({}))).toEqual([]);
  });
});

describe('an anomaly continuing the previous execution’s', () => {
  it('says the previous window was already off, and measures both against the weeks before them', () => {
    const history = funnelWeeks(8, campaigns, (_, week) => (week === 6 ? { impressions: 0.4 } : week === 7 ? { impressions: 0.7 } : {}));
    const [anomaly] = findInsights({ dashboardType: 'funnel', latest: history[7], history, views: [] }).filter((finding) => finding.type === 'anomaly');
    expect(anomaly).toMatchObject({
      id: 'anomaly.impressions',
      numbers: { changePct: -29.45, previousChangePct: -60.5, baselinePeriods: 6 },
      windows: { latest: 'Oct 26 – Nov 1', previous: 'Oct 19–25', anomalous: 'Oct 19–25', baseline: 'Sep 7 – Oct 25' },
    });
  });
});
