import { findAnomalies } from './anomaly-findings';
import { getMetric } from '@amc-reports/metrics';
import { type InsightMetric, insightMetric, type MetricSeries } from './insight-metrics';

const purchases: InsightMetric = insightMetric(getMetric('purchases'));

function seriesOf(values: number[]): MetricSeries {
  return { metric: purchases, points: values.map((value, index) => ({ executionId: `e${index + 1}`, value })) };
}

describe('findAnomalies', () => {
  it('flags a latest value far outside the history, with the expected range and strength', () => {
    // history 10, 12, 11, 13, 12: median 12, MAD 1, scale 1.4826; latest 30 → z = 18 / 1.4826 = 12.1408.
    // range 12 ± 3 × 1.4826 = 7.5522 .. 16.4478; strength = (1 − e^(−12.1408/3)) × (1 − e^(−4/4)) = 0.9825 × 0.6321.
    const [anomaly] = findAnomalies([seriesOf([10, 12, 11, 13, 12, 30])], 'e6');
    expect(anomaly).toMatchObject({
      id: 'anomaly.purchases',
      type: 'anomaly',
      numbers: { latest: 30, expected: 12, expectedLow: 7.55, expectedHigh: 16.45, deviationPct: 150 },
      executionIds: ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'],
      strength: 0.6211,
    });
    expect(anomaly.statistics).toMatchObject({ z: 12.1408, median: 12, mad: 1, scale: 1.4826, historySize: 5 });
  });

  it('clips the expected range at zero: counts and rates are never negative', () => {
    const [anomaly] = findAnomalies([seriesOf([1, 5, 2, 6, 3, 40])], 'e6');
    expect(anomaly.numbers.expectedLow).toBe(0);
  });

  it.each([
    { name: 'a latest value within 3 robust deviations', values: [10, 12, 11, 13, 12, 14], latest: 'e6' },
    { name: 'fewer than 4 earlier executions', values: [10, 12, 11, 30], latest: 'e4' },
    { name: 'a series whose last point is not the latest execution', values: [10, 12, 11, 13, 12, 30], latest: 'e7' },
    { name: 'a history without spread', values: [5, 5, 5, 5, 5, 9], latest: 'e6' },
  ])('reports nothing for $name', ({ values, latest }) => {
    expect(findAnomalies([seriesOf(values)], latest)).toEqual([]);
  });
});
