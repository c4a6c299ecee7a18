import { loadWeeklyHistory, profileFromCsv } from '../../test/profile-from-csv';
import { findInsights, MAX_FINDINGS, normalizeHistory } from './find-insights';
import type { ExecutionProfile, Finding } from './finding';
import { distinctStories } from './story';

const weeks = loadWeeklyHistory();

function findingsUpToWeek(week: number): Finding[] {
  const history = weeks.slice(0, week);
  return findInsights({ dashboardType: 'funnel', latest: history[week - 1], history, views: [] });
}

function byId(findings: Finding[], id: string): Finding {
  const finding = findings.find((candidate) => candidate.id === id);
  if (!finding) throw new Error(`no finding ${id} in ${findings.map((candidate) => candidate.id).join(', ')}`);
  return finding;
}

describe('findInsights on the 8-week funnel history sample', () => {
  describe('when week 7 (the collapsed week) is the latest execution', () => {
    const findings = findingsUpToWeek(7);

    it('finds the collapse of the add-to-cart → purchase stage as one anomaly, with what followed from it', () => {
      // Weeks 1–6 purchases ÷ add to cart: 31.08, 40.09, 46.55, 50.86, 39.67, 47.82 % (no significant
      // slope, t = 1.76): the level is their geometric mean 42.14 %; week 7: 588 ÷ 4,799 = 12.25 %,
      // −70.92 %. On six noisy weeks that alone is not beyond the 99.9 % interval; what is: sales per
      // purchase, $36.04 … $48.54 before, $169.59 now (range $16.76 .. $125.89, 8.90 se off), because
      // purchases fell 84.93 % while sales fell 44.35 %. Its cause is the stage that fell most.
      const anomaly = byId(findings, 'anomaly.purchases_of_add_to_cart');
      expect(anomaly).toMatchObject({ kind: 'anomaly.metric', direction: 'down', assessment: 'unfavourable' });
      expect(anomaly.numbers).toMatchObject({ latest: 12.25, expected: 42.14, changePct: -70.92, baselinePeriods: 6, evidenceLatest: 169.59, evidenceLow: 16.76, evidenceHigh: 126 });
      expect(anomaly.consequences!.map((consequence) => consequence.metric)).toEqual([
        'purchases', 'salesPerPurchase', 'sales', 'newToBrandShare', 'newToBrandPurchases', 'purchaseRateOfClicks', 'purchaseRateOfImpressions',
      ]);
      expect(anomaly.numbers).toMatchObject({ purchasesChangePct: -84.93, salesPerPurchaseChangePct: 269.19 });
      expect(anomaly.windows).toEqual({ latest: 'Oct 19–25', baseline: 'Sep 7 – Oct 18', period: 'week' });
      // 0.5 + 0.5 × (1 − e^−(8.8985/6.8688 − 1)) × (1 − e^−5/4) = 0.5913
      expect(anomaly.strength).toBe(0.5913);
    });

    it('states the collapse once: no separate cards for purchases, sales or the order value, no weakest-stage card', () => {
      const ids = findings.map((finding) => finding.id);
      for (const repeated of ['anomaly.purchases', 'anomaly.sales', 'anomaly.sales_per_purchase', 'comparison.purchases', 'comparison.sales', 'recommendation.weakest_stage']) {
        expect(ids).not.toContain(repeated);
      }
    });

    it('gives every card a different story', () => {
      const rest = findings.filter((finding) => finding.type !== 'summary');
      expect(distinctStories(rest)).toEqual(rest);
    });
  });

  describe('when week 8 is the latest execution', () => {
    const findings = findingsUpToWeek(8);

    it('sees week 8 as the return to normal after week 7, not as a boom', () => {
      expect(findings.filter((finding) => finding.type === 'anomaly')).toEqual([]);
      const recovery = byId(findings, 'comparison.recovery.purchases_of_add_to_cart');
      // Weeks 1–6 median 43.32 % (40.09 and 46.55); week 8: 3,027 ÷ 7,860 = 38.51 %, +214.31 % on week 7's 12.25 %.
      expect(recovery).toMatchObject({ kind: 'comparison.recovery', direction: 'up' });
      expect(recovery.numbers).toMatchObject({ latest: 38.51, baselineMedian: 43.32, baselinePeriods: 6, previous: 12.25, previousChangePct: -70.92, changePct: 214.31, purchasesChangePct: 414.8 });
      expect(recovery.windows).toMatchObject({ latest: 'Oct 26 – Nov 1', previous: 'Oct 19–25', baseline: 'Sep 7 – Oct 18' });
      expect(findings.map((finding) => finding.id)).not.toContain('comparison.purchases');
    });

    it('ranks the recovery below any anomaly strength (context stays under 0.45)', () => {
      expect(byId(findings, 'comparison.recovery.purchases_of_add_to_cart').strength).toBeLessThan(0.45);
    });

    it('reports no trend: the sample is too noisy for one at 0.1 %', () => {
      expect(findings.filter((finding) => finding.type === 'trend')).toEqual([]);
    });
  });

  it.each([1, 2, 3, 5, 7, 8])('keeps findings bounded, unique, ranked and traceable with %i week(s) of history', (week) => {
    const findings = findingsUpToWeek(week);
    const known = new Set(weeks.slice(0, week).map((execution) => execution.executionId));
    expect(findings.length).toBeLessThanOrEqual(MAX_FINDINGS);
    expect(findings[0].id).toBe('summary.totals');
    expect(new Set(findings.map((finding) => finding.id)).size).toBe(findings.length);
    for (let i = 1; i < findings.length; i++) expect(findings[i - 1].strength).toBeGreaterThanOrEqual(findings[i].strength);
    for (const finding of findings) {
      expect(finding.strength).toBeGreaterThanOrEqual(0);
      expect(finding.strength).toBeLessThanOrEqual(1);
      expect(finding.id).toMatch(/^[a-z0-9_.]+$/);
      for (const executionId of finding.executionIds) expect(known.has(executionId)).toBe(true);
      expect(Object.keys(finding.units).sort()).toEqual(Object.keys(finding.numbers).sort());
      for (const consequence of finding.consequences ?? []) expect(finding.numbers[consequence.changeKey]).toEqual(expect.any(Number));
    }
  });

  it('is deterministic', () => {
    expect(findingsUpToWeek(7)).toEqual(findingsUpToWeek(7));
  });

  it('down-weights a kind of finding users dismissed on this report, and keeps it', () => {
    const history = weeks.slice(0, 7);
    const dismissed = findInsights({
      dashboardType: 'funnel', latest: history[6], history, views: [],
      feedback: [{ kind: 'anomaly.metric', metric: 'purchasesOfAddToCart', dimension: null, dismissed: 2, useful: 0 }],
    });
    const anomaly = byId(dismissed, 'anomaly.purchases_of_add_to_cart');
    expect(anomaly.strength).toBeCloseTo(0.5913 / 4, 4);
    expect(anomaly.statistics.feedbackFactor).toBe(0.25);
  });
});

describe('normalizeHistory', () => {
  const execution = (executionId: string): ExecutionProfile => ({ ...weeks[0], executionId });

  it('appends the latest when the caller left it out and keeps one point per execution', () => {
    const history = [execution('a'), execution('b'), execution('a'), execution('c')];
    expect(normalizeHistory(history, execution('d')).map((point) => point.executionId)).toEqual(['b', 'a', 'c', 'd']);
    expect(normalizeHistory([execution('a'), execution('d')], execution('d')).map((point) => point.executionId)).toEqual(['a', 'd']);
  });
});

describe('summary', () => {
  it('weighs the headline totals by the rows AMC withheld and names its window', () => {
    const profile = profileFromCsv(
      [
        'campaign,impressions,clicks,purchases,filtered',
        'A,1000,10,1,false',
        'B,3000,30,2,false',
        'C,,,,true',
        'D,,,,true',
      ].join('\n'),
    );
    const latest: ExecutionProfile = { ...weeks[0], executionId: 'x', profile };
    const [summary] = findInsights({ dashboardType: 'performance', latest, history: [latest], views: [] });
    expect(summary).toMatchObject({
      id: 'summary.totals',
      kind: 'summary',
      numbers: { impressions: 4000, clicks: 40, purchases: 3, ctr: 1, purchaseRateOfClicks: 7.5, withheldRows: 2 },
      labels: { impressions: 'Impressions', clicks: 'Clicks', purchases: 'Purchases', ctr: 'Click-through rate (CTR)', purchaseRateOfClicks: 'Purchase rate (of clicks)' },
      windows: { latest: 'Sep 7–13', period: 'week' },
      strength: 0.5,
      statistics: { rowCount: 4, filteredRowCount: 2 },
    });
  });
});
