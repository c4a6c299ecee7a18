import { CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C, funnelWeeks } from '../../test/funnel-weeks';
import { findInsights } from './find-insights';

describe('comparison findings (latest vs previous window)', () => {
  it('states a move short of an anomaly with both windows, the metrics that followed and the campaign that made it', () => {
    // Week 7: Always_On_SP's impressions +30 %, the others flat. Total impressions rise under the 10 %
    // floor; clicks are the first step past it: 21,295 → 24,143 (+13.37 %), 98.6 % of it Always_On_SP's.
    const history = funnelWeeks(7, [CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C], (campaign, week) => (week === 6 && campaign === CAMPAIGN_A ? { impressions: 1.3 } : {}));
    const findings = findInsights({ dashboardType: 'funnel', latest: history[6], history, views: [] });
    const comparison = findings.find((finding) => finding.kind === 'comparison.metric')!;
    expect(comparison).toMatchObject({
      id: 'comparison.clicks',
      direction: 'up',
      numbers: { latest: 24_143, previous: 21_295, change: 2_848, changePct: 13.37, moverLatest: 12_799, moverPrevious: 9_991, moverShareOfChangePct: 98.6 },
      windows: { latest: 'Oct 19–25', previous: 'Oct 12–18', period: 'week' },
      subject: 'Always_On_SP',
      dimension: 'campaign',
    });
    expect(comparison.consequences!.map((consequence) => consequence.metric)).toEqual(['purchases', 'sales']);
    expect(comparison.strength).toBeLessThan(0.3);
    expect(findings.filter((finding) => finding.type === 'anomaly')).toEqual([]);
  });

  it('says nothing about a week-on-week wiggle under the floor', () => {
    const history = funnelWeeks(7, [CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C]);
    expect(findInsights({ dashboardType: 'funnel', latest: history[6], history, views: [] }).filter((finding) => finding.type === 'comparison')).toEqual([]);
  });
});
