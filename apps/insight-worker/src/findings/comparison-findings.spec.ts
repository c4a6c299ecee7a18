import { profileFromCsv } from '../../test/profile-from-csv';
import { findComparisons } from './comparison-findings';
import type { ExecutionProfile } from './finding';
import { buildInsightMetrics as buildMetricCatalog, buildMetricSeries } from './insight-metrics';

function execution(executionId: string, csv: string): ExecutionProfile {
  return { executionId, timeWindowStart: '2026-10-01T00:00:00Z', timeWindowEnd: '2026-10-07T23:59:59Z', profile: profileFromCsv(csv) };
}

const HEADER = 'campaign,impressions,clicks,purchases';
const previous = execution('prev', `${HEADER}\nA,1000,100,10\nB,2000,100,20\nC,1000,50,5`);
const latest = execution('last', `${HEADER}\nA,1000,100,40\nB,2000,104,20\nC,1000,50,4`);

function compare(before: ExecutionProfile | undefined) {
  const catalog = buildMetricCatalog(latest.profile, { dashboardType: 'performance' });
  const history = before ? [before, latest] : [latest];
  return findComparisons(buildMetricSeries(catalog, history), latest, before, catalog);
}

describe('findComparisons', () => {
  it('compares each metric that moved at least 5 % with its absolute and % change', () => {
    const byId = new Map(compare(previous).map((finding) => [finding.id, finding]));
    // purchases 35 → 64: +29, +82.857 %; strength = 0.5 × (1 − e^(−1.65714)) = 0.5 × 0.80931 = 0.4047.
    expect(byId.get('comparison.purchases')).toMatchObject({
      numbers: { latest: 64, previous: 35, change: 29, changePct: 82.86 },
      units: { latest: 'count', change: 'count', changePct: 'percent' },
      executionIds: ['prev', 'last'],
      strength: 0.4047,
    });
    // conversion rate 35/250 = 14 % → 64/254 = 25.197 %: +11.197 pp, +79.98 %.
    expect(byId.get('comparison.purchase_rate_of_clicks')).toMatchObject({
      numbers: { latest: 25.2, previous: 14, change: 11.2, changePct: 79.98 },
      units: { change: 'points' },
    });
    // clicks 250 → 254 (+1.6 %) and impressions (unchanged) are under the 5 % bar.
    expect(byId.has('comparison.clicks')).toBe(false);
    expect(byId.has('comparison.impressions')).toBe(false);
  });

  it('names the top movers by dimension and their share of the movement', () => {
    const movers = compare(previous).filter((finding) => finding.dimension === 'campaign' && finding.metric === 'purchases');
    // Δ purchases: A +30, B 0, C −1 → Σ|Δ| = 31; A explains 30/31 = 96.77 %, C 1/31 = 3.2 % (< 10 %, not a top mover).
    expect(movers).toHaveLength(1);
    expect(movers[0]).toMatchObject({
      subject: 'A',
      numbers: { latest: 40, previous: 10, change: 30, changePct: 300, shareOfChangePct: 96.77 },
    });
    // 0.5 × (1 − e^(−300/50)) × 30/31
    expect(movers[0].strength).toBeCloseTo(0.5 * (1 - Math.exp(-6)) * (30 / 31), 4);
    expect(movers[0].id).toMatch(/^comparison\.purchases\.campaign\.k[0-9a-z]+$/);
  });

  it('compares nothing without a previous execution', () => {
    expect(compare(undefined)).toEqual([]);
  });
});
