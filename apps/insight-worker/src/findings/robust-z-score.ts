/** Makes the MAD a consistent estimator of the standard deviation for normal data (1 / Φ⁻¹(3/4)). */
export const MAD_TO_SIGMA = 1.4826;
/** Iglewicz & Hoaglin's substitute when more than half the history is identical (MAD = 0). */
const MEAN_ABSOLUTE_DEVIATION_TO_SIGMA = 1.2533;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((value) => Math.abs(value - center)));
}

export interface RobustZScore {
  z: number;
  median: number;
  mad: number;
  /** The spread the z-score divides by: 1.4826 × MAD (or 1.2533 × mean absolute deviation). */
  scale: number;
  /** median ± threshold × scale. */
  expectedLow: number;
  expectedHigh: number;
}

/**
 * Robust z-score of `value` against `history` (which should not contain `value`): median and MAD
 * are not dragged by the outliers we are looking for, unlike mean and standard deviation.
 * Returns null when the history has no spread at all (every point identical): any difference
 * would be an infinite z, which says nothing useful.
 */
export function robustZScore(value: number, history: readonly number[], threshold = 3): RobustZScore | null {
  if (history.length === 0) return null;
  const center = median(history);
  const mad = medianAbsoluteDeviation(history, center);
  let scale = MAD_TO_SIGMA * mad;
  if (scale === 0) {
    const meanAbsoluteDeviation = history.reduce((sum, point) => sum + Math.abs(point - center), 0) / history.length;
    scale = MEAN_ABSOLUTE_DEVIATION_TO_SIGMA * meanAbsoluteDeviation;
  }
  if (scale === 0) return null;
  return {
    z: (value - center) / scale,
    median: center,
    mad,
    scale,
    expectedLow: center - threshold * scale,
    expectedHigh: center + threshold * scale,
  };
}
