import { median, medianAbsoluteDeviation } from './robust-statistics';

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
