import { getMetric } from '@amc-reports/metrics';
import { type InsightMetric, insightMetric, type MetricSeries } from './insight-metrics';
import { findTrends } from './trend-findings';

const impressions: InsightMetric = insightMetric(getMetric('impressions'));

function seriesOf(values: number[], metric = impressions): MetricSeries {
  return { metric, points: values.map((value, index) => ({ executionId: `e${index + 1}`, value })) };
}

describe('findTrends', () => {
  it('reports a clean rise with its slope, % per period, R² and strength', () => {
    // y = 100, 110, 120, 130: slope 10, mean 115 → 10 / 115 = 8.6957 % per period, R² = 1.
    // strength = R² × (1 − e^(−(n − 2) / 4)) = 1 × (1 − e^(−0.5)) = 0.3935.
    const [trend] = findTrends([seriesOf([100, 110, 120, 130])]);
    expect(trend).toMatchObject({
      id: 'trend.impressions',
      type: 'trend',
      metric: 'impressions',
      numbers: { slopePerPeriod: 10, changePctPerPeriod: 8.7, first: 100, latest: 130, periods: 4 },
      units: { slopePerPeriod: 'count', changePctPerPeriod: 'percent', first: 'count', latest: 'count', periods: 'count' },
      executionIds: ['e1', 'e2', 'e3', 'e4'],
      strength: 0.3935,
    });
    expect(trend.statistics).toMatchObject({ n: 4, r2: 1, slope: 10, intercept: 100, mean: 115 });
  });

  it('states the slope of a rate in percentage points', () => {
    const rate: InsightMetric = insightMetric(getMetric('ctr'));
    const [trend] = findTrends([seriesOf([1, 1.2, 1.4], rate)]);
    expect(trend.units.slopePerPeriod).toBe('points');
    expect(trend.numbers.slopePerPeriod).toBe(0.2);
  });

  it.each([
    { name: 'two executions', values: [100, 200] },
    { name: 'a fit below R² 0.2', values: [100, 140, 90, 130, 95, 120] },
    { name: 'a slope under 0.5 % of the mean per period', values: [1000, 1002, 1004, 1006] },
    { name: 'a constant series', values: [7, 7, 7, 7] },
  ])('reports nothing for $name', ({ values }) => {
    expect(findTrends([seriesOf(values)])).toEqual([]);
  });

  it('ranks a long clean trend above a short one', () => {
    const [short] = findTrends([seriesOf([1, 2, 3])]);
    const [long] = findTrends([seriesOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]);
    expect(short.strength).toBeCloseTo(1 - Math.exp(-1 / 4), 4);
    expect(long.strength).toBeGreaterThan(short.strength);
  });
});
