export interface LeastSquaresFit {
  n: number;
  slope: number;
  intercept: number;
  /** Coefficient of determination; 0 when y is constant (nothing to explain, no trend to report). */
  r2: number;
  meanY: number;
}

/**
 * Ordinary least squares of y on x. With x omitted, x = 0, 1, 2, … (one step per execution,
 * so the slope is "per period"). Returns null below 2 points or when all x are equal.
 */
export function fitLeastSquares(y: readonly number[], x?: readonly number[]): LeastSquaresFit | null {
  const n = y.length;
  if (n < 2 || (x && x.length !== n)) return null;
  const xs = x ?? y.map((_, index) => index);
  const meanX = xs.reduce((sum, value) => sum + value, 0) / n;
  const meanY = y.reduce((sum, value) => sum + value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  // For a simple regression R² = Sxy² / (Sxx·Syy), the same as 1 − SSE/SST without a second pass.
  const r2 = syy === 0 ? 0 : Math.min(1, (sxy * sxy) / (sxx * syy));
  return { n, slope, intercept, r2, meanY };
}
