import { MAD_TO_SIGMA, median, medianAbsoluteDeviation, robustZScore } from './robust-z-score';

describe('median and MAD', () => {
  it.each([
    { values: [3, 1, 2], median: 2, mad: 1 },
    { values: [4, 1, 3, 2], median: 2.5, mad: 1 },
    { values: [10, 12, 11, 13, 12], median: 12, mad: 1 },
    { values: [7], median: 7, mad: 0 },
  ])('median($values) = $median, MAD = $mad', ({ values, median: expectedMedian, mad }) => {
    expect(median(values)).toBe(expectedMedian);
    expect(medianAbsoluteDeviation(values)).toBe(mad);
  });

  it('has no median for no values', () => {
    expect(median([])).toBeNaN();
  });
});

describe('robustZScore', () => {
  it('scores a spike against a quiet history', () => {
    // median 12, |deviations| = [2, 0, 1, 1, 0] → MAD 1 → scale 1.4826 → z = (30 − 12) / 1.4826.
    const score = robustZScore(30, [10, 12, 11, 13, 12]);
    expect(score!.median).toBe(12);
    expect(score!.mad).toBe(1);
    expect(score!.z).toBeCloseTo(18 / MAD_TO_SIGMA, 10);
    expect(score!.expectedLow).toBeCloseTo(12 - 3 * MAD_TO_SIGMA, 10);
    expect(score!.expectedHigh).toBeCloseTo(12 + 3 * MAD_TO_SIGMA, 10);
  });

  it('finds the collapsed add-to-cart → purchase rate of week 7 in the history sample', () => {
    // Weeks 1–6 purchases / add_to_cart (%): 3945/12692, 2297/5730, 2820/6058, 7929/15590, 4716/11887, 3687/7710.
    const history = [3945 / 12692, 2297 / 5730, 2820 / 6058, 7929 / 15590, 4716 / 11887, 3687 / 7710].map((rate) => rate * 100);
    const week7 = (588 / 4799) * 100; // 12.2526 %
    // Sorted: 31.0826, 39.6736, 40.0873, 46.5500, 47.8210, 50.8595 → median (40.0873 + 46.5500) / 2 = 43.3186.
    // |deviations| sorted: 3.2314, 3.2314, 3.6450, 4.5024, 7.5409, 12.2361 → MAD (3.6450 + 4.5024) / 2 = 4.0737.
    // scale = 1.4826 × 4.0737 = 6.0397; z = (12.2526 − 43.3186) / 6.0397 = −5.1437.
    const score = robustZScore(week7, history);
    expect(score!.median).toBeCloseTo(43.3186, 4);
    expect(score!.mad).toBeCloseTo(4.0737, 4);
    expect(score!.scale).toBeCloseTo(6.0397, 4);
    expect(score!.z).toBeCloseTo(-5.1437, 4);
  });

  it('falls back to the mean absolute deviation when more than half the history is identical', () => {
    // median 5, MAD 0; mean |deviation| = 4 / 5 = 0.8 → scale 1.2533 × 0.8 = 1.00264 → z = 3 / 1.00264.
    const score = robustZScore(8, [5, 5, 5, 5, 9]);
    expect(score!.mad).toBe(0);
    expect(score!.scale).toBeCloseTo(1.00264, 5);
    expect(score!.z).toBeCloseTo(3 / 1.00264, 5);
  });

  it.each([
    { name: 'an empty history', history: [] as number[] },
    { name: 'a history without any spread', history: [4, 4, 4, 4] },
  ])('returns null for $name', ({ history }) => {
    expect(robustZScore(9, history)).toBeNull();
  });
});
