import { CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C, funnelWeeks } from '../../test/funnel-weeks';
import { profileFromCsv, weeklyExecution } from '../../test/profile-from-csv';
import { wordFinding } from '../wording/templated-wording';
import { findInsights } from './find-insights';
import type { ExecutionProfile, Finding } from './finding';

const findingsOf = (history: ExecutionProfile[]): Finding[] => findInsights({ dashboardType: 'funnel', latest: history[history.length - 1], history, views: [] });

describe('recoveries: a comparison with an anomalous window is context', () => {
  it('states the week after a collapse as back to the median, naming both windows, with what recovered with it', () => {
    const history = funnelWeeks(8, [CAMPAIGN_A, CAMPAIGN_B, CAMPAIGN_C], (_, week) => (week === 6 ? { impressions: 0.5 } : {}));
    const findings = findingsOf(history);
    expect(findings.filter((finding) => finding.type === 'anomaly' || finding.kind === 'comparison.metric')).toEqual([]);
    const [recovery] = findings.filter((finding) => finding.kind === 'comparison.recovery');
    expect(recovery).toMatchObject({
      id: 'comparison.recovery.impressions',
      type: 'comparison',
      direction: 'up',
      windows: { latest: 'Oct 26 – Nov 1', previous: 'Oct 19–25', anomalous: 'Oct 19–25', baseline: 'Sep 7 – Oct 18' },
      statistics: { partial: 0 },
    });
    expect(recovery.consequences!.map((consequence) => consequence.metric)).toEqual(['clicks', 'purchases', 'sales', 'spend']);
    expect(wordFinding(recovery)).toMatch(/^Impressions back to the 6-week median in Oct 26 – Nov 1 after the drop of Oct 19–25: [\d,]+ against a median of [\d,]+ \(Sep 7 – Oct 18\), up [\d.]+% from [\d,]+ in Oct 19–25, which was [\d.]+% below expected\. Clicks \+[\d.]+%, purchases/);
    expect(recovery.strength).toBeLessThan(0.5);
  });

  it('says "partly back" when the metric moved back but is still far from its usual level', () => {
    // Weeks 1–6 vary ±12 %; week 7 collapses to 30 %, week 8 comes back to 70 %: up 133.33 % on week 7,
    // still 32.69 % under the 1,872,000 median of weeks 1–6, not yet clear enough of noise for an anomaly.
    const factors = [1, 1.12, 0.9, 1.08, 0.88, 1.1, 0.3, 0.7];
    const history = factors.map((factor, week) =>
      weeklyExecution(week + 1, profileFromCsv(`campaign,impressions,clicks,purchases\nA,${1e6 * factor},${1e4 * factor},${500 * factor}\nB,${8e5 * factor},${6e3 * factor},${300 * factor}`)),
    );
    const [recovery] = findingsOf(history).filter((finding) => finding.kind === 'comparison.recovery');
    expect(recovery).toMatchObject({ numbers: { latest: 1_260_000, previous: 540_000, changePct: 133.33, baselineMedian: 1_872_000, medianGapPct: -32.69 }, statistics: { partial: 1 } });
    expect(wordFinding(recovery)).toBe(
      'Impressions partly back in Oct 26 – Nov 1 after the drop of Oct 19–25: up 133.33% from 540,000 to 1,260,000, still 32.69% below the 6-week median of 1,872,000 (Sep 7 – Oct 18). Clicks +133.33% and purchases +133.33% moved with it.',
    );
  });
});
