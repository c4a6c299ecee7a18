import { CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C, funnelWeeks } from '../../test/funnel-weeks';
import { findInsights } from './find-insights';

const trendsOf = (weeks: number, growth: number) => {
  const history = funnelWeeks(weeks, [CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C], (_, week) => ({ impressions: growth ** week }));
  return findInsights({ dashboardType: 'funnel', latest: history[weeks - 1], history, views: [] });
};

describe('trend findings', () => {
  it('states a steady 6 % a week once, at the top of the funnel, the volumes after it moving with it', () => {
    const findings = trendsOf(9, 1.06);
    const trends = findings.filter((finding) => finding.type === 'trend');
    expect(trends).toHaveLength(1);
    expect(trends[0]).toMatchObject({
      id: 'trend.impressions',
      kind: 'trend.metric',
      direction: 'up',
      assessment: 'favourable',
      numbers: { changePctPerPeriod: 6, first: 2_390_000, periods: 9 },
      windows: { latest: 'Nov 2–8', baseline: 'Sep 7 – Nov 8', period: 'week' },
    });
    expect(trends[0].numbers.changePctOverSpan).toBeCloseTo((1.06 ** 8 - 1) * 100, 0);
    expect(trends[0].consequences!.map((consequence) => consequence.metric)).toEqual(['clicks', 'purchases', 'sales', 'spend']);
    expect(trends[0].statistics.r2).toBeGreaterThan(0.99);
    // The latest week continues the trend: not an anomaly.
    expect(findings.filter((finding) => finding.type === 'anomaly')).toEqual([]);
  });

  it('finds no trend in flat weeks, nor in fewer than 6', () => {
    expect(trendsOf(9, 1).filter((finding) => finding.type === 'trend')).toEqual([]);
    expect(trendsOf(5, 1.06).filter((finding) => finding.type === 'trend')).toEqual([]);
  });
});
