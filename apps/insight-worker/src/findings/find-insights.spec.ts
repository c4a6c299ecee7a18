import { loadWeeklyHistory, profileFromCsv } from '../../test/profile-from-csv';
import { findInsights, MAX_FINDINGS, normalizeHistory } from './find-insights';
import type { ExecutionProfile, Finding } from './finding';

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

    it('finds the collapse of the add-to-cart → purchase stage as an anomaly, with hand-checked numbers', () => {
      // Weeks 1–6 purchases / add_to_cart: 31.0826, 40.0873, 46.5500, 50.8595, 39.6736, 47.8210 %;
      // week 7: 588 / 4,799 = 12.2526 %. Median 43.3186, MAD 4.0737, scale 1.4826 × MAD = 6.0397,
      // z = (12.2526 − 43.3186) / 6.0397 = −5.1437; range 43.3186 ± 3 × 6.0397 = 25.1996 .. 61.4377.
      // strength = (1 − e^(−5.1437/3)) × (1 − e^(−5/4)) = 0.8199 × 0.7135 = 0.5850.
      const anomaly = byId(findings, 'anomaly.purchases_of_add_to_cart');
      expect(anomaly.numbers).toEqual({ latest: 12.25, expected: 43.32, expectedLow: 25.2, expectedHigh: 61.44, deviationPct: -71.72 });
      expect(anomaly.statistics).toMatchObject({ z: -5.1437, median: 43.3186, mad: 4.0737, scale: 6.0397, historySize: 6 });
      expect(anomaly.executionIds).toEqual(weeks.slice(0, 7).map((week) => week.executionId));
      expect(anomaly.strength).toBe(0.585);
    });

    it('also flags the week-7 drop in clicks', () => {
      // Clicks weeks 1–6: 89,071 52,556 84,244 128,103 81,408 96,499 → median 86,657.5, MAD 7,545.5;
      // week 7: 37,592 → z = (37,592 − 86,657.5) / (1.4826 × 7,545.5) = −4.3860.
      expect(byId(findings, 'anomaly.clicks').statistics.z).toBe(-4.386);
    });

    it('recommends looking at the weakest stage: add to cart → purchase, against the other stages', () => {
      const stage = byId(findings, 'recommendation.weakest_stage');
      expect(stage.metric).toBe('purchasesOfAddToCart');
      expect(stage.metricLabel).toBe('Purchases (of add to cart)');
      expect(stage.numbers).toMatchObject({ latest: 12.25, baseline: 43.32, changePct: -71.72 });
    });

    it('ranks the anomaly above every comparison and below only the summary', () => {
      const anomaly = byId(findings, 'anomaly.purchases_of_add_to_cart');
      expect(findings[0].type).toBe('summary');
      // Sales per purchase (the catalogue's, from sums) is the week's sharper outlier: 99,717.57 / 588
      // = 169.59 against a median of 47.22, because sales fell far less than purchases.
      expect(findings[1]).toMatchObject({ id: 'anomaly.sales_per_purchase', numbers: { latest: 169.59, expected: 47.22 }, units: { latest: 'currency' } });
      expect(findings.slice(0, 4)).toContain(anomaly);
      for (const comparison of findings.filter((finding) => finding.type === 'comparison')) {
        expect(anomaly.strength).toBeGreaterThan(comparison.strength);
      }
    });
  });

  describe('when week 8 is the latest execution', () => {
    const findings = findingsUpToWeek(8);

    it('finds the trend in impressions with its slope, % per period and R² (downward, and weak)', () => {
      // Weekly impressions 7,156,462 … 5,646,900; x = 0..7: Sxx = 42, Sxy = −8,239,925 →
      // slope = −196,188.69 per week, mean 6,636,013.75 → −2.956 % per week; R² = 0.2321 (n = 8).
      // strength = 0.2321 × (1 − e^(−6/4)) = 0.1803. The sample's impressions fall, they do not rise.
      const trend = byId(findings, 'trend.impressions');
      expect(trend.numbers).toEqual({ slopePerPeriod: -196188.69, changePctPerPeriod: -2.96, first: 7156462, latest: 5646900, periods: 8 });
      expect(trend.statistics).toMatchObject({ n: 8, r2: 0.2321, slope: -196188.6905, mean: 6636013.75 });
      expect(trend.strength).toBe(0.1803);
    });

    it('ranks that weak trend below the week-7 anomaly', () => {
      const anomaly = byId(findingsUpToWeek(7), 'anomaly.purchases_of_add_to_cart');
      expect(anomaly.strength).toBeGreaterThan(byId(findings, 'trend.impressions').strength * 3);
    });

    it('sees week 8 as a recovery, not an anomaly: the median ignores the collapsed week', () => {
      expect(findings.filter((finding) => finding.type === 'anomaly')).toEqual([]);
      expect(byId(findings, 'comparison.purchases').numbers).toMatchObject({ previous: 588, latest: 3027, change: 2439, changePct: 414.8 });
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
    }
  });

  it('is deterministic', () => {
    expect(findingsUpToWeek(7)).toEqual(findingsUpToWeek(7));
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
  it('weighs the headline totals by the rows AMC withheld', () => {
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
      numbers: { impressions: 4000, clicks: 40, purchases: 3, ctr: 1, purchaseRateOfClicks: 7.5, withheldRows: 2 },
      labels: { impressions: 'Impressions', clicks: 'Clicks', purchases: 'Purchases', ctr: 'Click-through rate (CTR)', purchaseRateOfClicks: 'Purchase rate (of clicks)' },
      strength: 0.5,
      statistics: { rowCount: 4, filteredRowCount: 2 },
    });
  });
});
