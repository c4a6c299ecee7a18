import { fitLeastSquares } from './least-squares';

describe('fitLeastSquares', () => {
  // Hand-checked: x = 0..3, y = [1, 3, 2, 5]: x̄ = 1.5, ȳ = 2.75, Sxx = 5, Sxy = 5.5, Syy = 8.75,
  // slope = 5.5 / 5 = 1.1, intercept = 2.75 − 1.1·1.5 = 1.1, R² = 5.5² / (5·8.75) = 30.25 / 43.75.
  it.each([
    { name: 'noisy line', y: [1, 3, 2, 5], slope: 1.1, intercept: 1.1, r2: 30.25 / 43.75 },
    { name: 'perfect line', y: [2, 4, 6, 8], slope: 2, intercept: 2, r2: 1 },
    { name: 'falling line', y: [10, 7], slope: -3, intercept: 10, r2: 1 },
    { name: 'constant series (nothing to explain)', y: [5, 5, 5], slope: 0, intercept: 5, r2: 0 },
  ])('fits a $name', ({ y, slope, intercept, r2 }) => {
    const fit = fitLeastSquares(y);
    expect(fit).not.toBeNull();
    expect(fit!.slope).toBeCloseTo(slope, 10);
    expect(fit!.intercept).toBeCloseTo(intercept, 10);
    expect(fit!.r2).toBeCloseTo(r2, 10);
    expect(fit!.n).toBe(y.length);
  });

  it('uses explicit x values when given', () => {
    // x = [1, 2, 4], y = [3, 5, 9] lies on y = 2x + 1.
    const fit = fitLeastSquares([3, 5, 9], [1, 2, 4]);
    expect(fit!.slope).toBeCloseTo(2, 10);
    expect(fit!.intercept).toBeCloseTo(1, 10);
    expect(fit!.r2).toBeCloseTo(1, 10);
  });

  it('fits the 8 weekly impression totals of the history sample', () => {
    // x = 0..7, x̄ = 3.5, Sxx = 42; ȳ = 53,088,110 / 8 = 6,636,013.75; Sxy = −8,239,925;
    // Syy = 6,964,083,293,259.5 → slope = −196,188.69, R² = Sxy² / (Sxx·Syy) = 0.2321.
    const fit = fitLeastSquares([7156462, 5783830, 7334990, 8167650, 7385136, 6135996, 5477146, 5646900]);
    expect(fit!.slope).toBeCloseTo(-8239925 / 42, 6);
    expect(fit!.r2).toBeCloseTo(0.232131, 5);
    expect(fit!.intercept).toBeCloseTo(6636013.75 + (8239925 / 42) * 3.5, 4);
  });

  it.each([
    { name: 'no points', y: [] as number[], x: undefined },
    { name: 'one point', y: [4], x: undefined },
    { name: 'all x equal', y: [1, 2], x: [3, 3] },
    { name: 'x and y of different lengths', y: [1, 2, 3], x: [1, 2] },
  ])('returns null for $name', ({ y, x }) => {
    expect(fitLeastSquares(y, x)).toBeNull();
  });
});
