import { CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C, funnelWeeks } from '../../test/funnel-weeks';
import { generateHistory } from '../../../../bench/planted-histories';
import { spanLabel } from './execution-windows';
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

describe('a trend the campaigns share (shared-trend.ts)', () => {
  // Seeds of the planted-effect generator where 8 weeks of +6 % a week end in a campaign breaking
  // and a click-through drop: the total's own 0.1 % test misses the trend (t 3.3 and 2.4 on 6 df).
  it.each([17, 34])('is found from the campaigns when the total alone is too noisy to show it (combined seed %i)', (seed) => {
    const { history, campaign } = generateHistory('combined', seed);
    const findings = findInsights({ dashboardType: 'funnel', latest: history[history.length - 1], history, views: [] });
    const trend = findings.find((finding) => finding.kind === 'trend.metric')!;
    expect(trend).toMatchObject({ metric: 'impressions', direction: 'up' });
    expect(trend.statistics.sharedKeys).toBeGreaterThanOrEqual(3);
    expect(Math.abs(trend.statistics.sharedSlopeT)).toBeGreaterThanOrEqual(trend.statistics.sharedCriticalValue);
    // Fitted without the broken week (the campaign anomaly's story), so the trend ends the week before.
    expect(trend.windows?.baseline).toBe(spanLabel(history.slice(0, -1)));
    expect(findings.some((finding) => finding.kind === 'anomaly.campaign' && finding.subject === campaign)).toBe(true);
  });

  it('is not found in quiet campaigns, nor when only the campaigns but not the total trend', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { history } = generateHistory('quiet', seed);
      const findings = findInsights({ dashboardType: 'funnel', latest: history[history.length - 1], history, views: [] });
      expect(findings.filter((finding) => finding.type === 'trend' && finding.statistics.sharedKeys !== undefined)).toEqual([]);
    }
    // Two campaigns grow 6 % a week, one shrinks as much: the campaigns' slopes cancel in the panel.
    const history = funnelWeeks(8, [CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C], (campaign, week) => ({ impressions: (campaign === CAMPAIGN_C ? 0.94 : 1.06) ** week }));
    const trend = findInsights({ dashboardType: 'funnel', latest: history[7], history, views: [] }).find((finding) => finding.kind === 'trend.metric' && finding.metric === 'impressions');
    expect(trend === undefined || trend.statistics.sharedKeys === undefined).toBe(true);
  });
});
