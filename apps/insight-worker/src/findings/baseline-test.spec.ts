import { predictBaseline, testAgainstBaseline, testTrend, type BaselinePoint } from './baseline-test';
import { clearsFloor } from './metric-tests';
import { studentTCdf, studentTQuantile } from './student-t';

const points = (values: number[]): BaselinePoint[] => values.map((value, x) => ({ x, value, executionId: `e${x + 1}` }));

describe("Student's t", () => {
  it.each([
    [0.975, 4, 2.776445],
    [0.9995, 5, 6.868827],
    [0.995, 10, 3.169273],
    [0.9995, 4, 8.610302],
  ])('quantile(%d, df %d) = %d (tables / scipy.stats.t.ppf)', (p, df, expected) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(expected, 5);
    expect(studentTCdf(expected, df)).toBeCloseTo(p, 8);
  });

  it('is symmetric', () => {
    expect(studentTCdf(-2, 7)).toBeCloseTo(1 - studentTCdf(2, 7), 12);
  });
});

describe('the anomaly baseline', () => {
  it('flags a real break with 6 points of history, with the interval the few points allow', () => {
    // ln of 100, 104, 97, 101, 99, 103: mean 4.61153 (e^ = 100.639), s = 0.025676 (5 df); no
    // significant slope (t = 0.17 < 2.78), so a level. se = s·√(1 + 1/6) = 0.027733; t(0.9995, 5)
    // = 6.8688 → range e^(4.61153 ± 0.19049) = 83.18 .. 121.76. 50 is ln(50/100.639)/se = −25.22 se off.
    const test = testAgainstBaseline(points([100, 104, 97, 101, 99, 103]), 6, 50)!;
    expect(test).toMatchObject({ model: 'level', scale: 'log', used: 6, df: 5, outside: true });
    expect(test.expected).toBeCloseTo(100.639, 3);
    expect(test.low).toBeCloseTo(83.183, 3);
    expect(test.high).toBeCloseTo(121.758, 3);
    expect(test.criticalValue).toBeCloseTo(6.8688, 4);
    expect(test.score).toBeCloseTo(-25.223, 3);
    expect(test.relativeChange).toBeCloseTo(-0.50317, 5);
    expect(clearsFloor(test, 0.1)).toBe(true);
  });

  it('does not flag the next point of a series growing 5 % a week, and does flag a fall back to its median', () => {
    // 1000·1.05^k with ±1 % noise, k = 0..6: ln-slope 0.048076 (t = 28.96: a trend), prediction for
    // k = 7: 1,403.05 (range 1,296.48 .. 1,518.37). The true next point 1,407.10 is 0.25 se away.
    const noise = [1, 1.01, 0.99, 1, 1.01, 0.99, 1];
    const growing = points(noise.map((factor, k) => 1000 * 1.05 ** k * factor));
    const onTrend = testAgainstBaseline(growing, 7, 1000 * 1.05 ** 7)!;
    expect(onTrend).toMatchObject({ model: 'trend', outside: false });
    expect(onTrend.expected).toBeCloseTo(1403.046, 2);
    expect(onTrend.slope).toBeCloseTo(0.048076, 5);
    expect(onTrend.score).toBeCloseTo(0.2509, 3);
    // A level (or median) baseline would expect ~1,157 and call the trend's own next point +21.6 %.
    // The other way round: 1,000 is near that median, yet 29 % under where the trend was heading.
    const offTrend = testAgainstBaseline(growing, 7, 1000)!;
    expect(offTrend.outside).toBe(true);
    expect(offTrend.relativeChange).toBeCloseTo(1000 / 1403.046 - 1, 4);
    expect(clearsFloor(offTrend, 0.1)).toBe(true);
  });

  it('asks for the practical floor beyond the noise: a 12 % week on a quiet series is unusual but not news', () => {
    // ln of 100, 101, 99, 100.5, 99.5, 100, 101, 99: s = 0.008018, se = 0.008505, t(0.9995, 7) = 5.4079
    // → half-width 0.04599. A move must clear 0.04599 + ln 1.1 = 0.14130: ln 1.12 = 0.1133 does not,
    // ln 1.2 = 0.1823 does, although both lie far outside the interval.
    const quiet = points([100, 101, 99, 100.5, 99.5, 100, 101, 99]);
    const twelve = testAgainstBaseline(quiet, 8, 112)!;
    expect(twelve.outside).toBe(true);
    expect(twelve.criticalValue * twelve.standardError).toBeCloseTo(0.04599, 4);
    expect(clearsFloor(twelve, 0.1)).toBe(false);
    expect(clearsFloor(testAgainstBaseline(quiet, 8, 120)!, 0.1)).toBe(true);
  });

  it('leaves an earlier anomalous execution out of the baseline, so it neither widens the interval nor drags the level', () => {
    const test = testAgainstBaseline(points([100, 102, 98, 101, 40, 99, 100, 101]), 8, 100)!;
    expect(test.outlierExecutionIds).toEqual(['e5']);
    expect(test.used).toBe(7);
    expect(test.expected).toBeCloseTo(100.14, 1);
    expect(test.outside).toBe(false);
  });

  it('leaves no quiet point out (the most deviant of n points is judged at 1 % ÷ n)', () => {
    expect(predictBaseline(points([100, 103, 97, 102, 98, 104, 96, 101]), 8)!.outlierExecutionIds).toEqual([]);
  });

  it('widens the interval when fewer points back it', () => {
    const alternating = (n: number) => points(Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 97 : 103)));
    const few = predictBaseline(alternating(4), 4)!;
    const many = predictBaseline(alternating(10), 10)!;
    expect(few.high / few.low).toBeGreaterThan(2 * (many.high / many.low - 1) + 1);
  });

  it('has no baseline below 4 points', () => {
    expect(predictBaseline(points([100, 101, 99]), 3)).toBeNull();
  });

  it('reads a drop to zero as far outside, not as a missing value', () => {
    const test = testAgainstBaseline(points([100, 104, 97, 101, 99, 103]), 6, 0)!;
    expect(test.outside).toBe(true);
    expect(test.relativeChange).toBe(-1);
  });
});

describe('the trend test', () => {
  it('finds a steady 6 % a week over 8 weeks and states it per week and over the span', () => {
    const trend = testTrend(points([1, 1.06, 1.1236, 1.191, 1.2625, 1.3382, 1.4185, 1.5036].map((value, i) => value * 1000 * (i % 2 ? 1.005 : 0.995))))!;
    expect(trend.significant).toBe(true);
    expect(trend.changePerPeriod).toBeCloseTo(0.06, 2);
    expect(trend.changeOverSpan).toBeCloseTo(1.06 ** 7 - 1, 1);
    expect(trend.r2).toBeGreaterThan(0.99);
  });

  it('finds none in a flat series with 5 % noise', () => {
    expect(testTrend(points([100, 105, 96, 103, 98, 104, 95, 101, 99, 102]))!.significant).toBe(false);
  });

  it('needs 6 points', () => {
    expect(testTrend(points([1, 2, 3, 4, 5]))).toBeNull();
  });
});
