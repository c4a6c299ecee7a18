import type { ExecutionProfile } from './finding';
import { ANOMALY_ALPHA, testAgainstBaseline, type BaselineTest } from './baseline-test';
import type { MetricEffect } from './cause-attribution';
import { keySeriesFrom, keyValuesOf, type InsightMetric, type InsightMetrics, type MetricSeries, type SeriesPoint } from './insight-metrics';
import type { InsightThresholds } from './insight-thresholds';

/** One metric's value in the target execution, tested against the executions before it. */
export interface MetricTest {
  metric: InsightMetric;
  points: SeriesPoint[];
  test: BaselineTest;
  effect: MetricEffect;
}

/** log(value ÷ expected), with a drop to zero counted as a thousandfold fall rather than −∞. */
export function logChange(value: number, expected: number): number {
  if (expected > 0 && value >= 0) return Math.log(Math.max(value, expected / 1000) / expected);
  return expected === 0 ? 0 : value / expected - 1;
}

/**
 * Unusual AND big enough, in one test: the move must clear the interval's half-width plus the
 * practical floor (on the fitted scale), i.e. the change is at least the floor beyond the noise.
 * Testing "outside the interval" and "≥ 10 %" separately let a quiet series with a ±11 % interval
 * raise an "anomaly" for a 12 % week; a minimum-effect test does not.
 */
export function clearsFloor(test: BaselineTest, floor: number): boolean {
  if (!test.outside || Math.abs(test.relativeChange) < floor) return false;
  const halfWidth = test.criticalValue * test.standardError;
  if (test.scale === 'log') return Math.abs(logChange(test.value, test.expected)) > halfWidth + Math.log1p(floor);
  return Math.abs(test.value - test.expected) > halfWidth + floor * Math.abs(test.expected);
}

export function effectOf(metric: string, test: BaselineTest, thresholds: InsightThresholds): MetricEffect {
  const notable = Math.abs(test.relativeChange) >= thresholds.minRelativeChange;
  return { metric, significant: clearsFloor(test, thresholds.minRelativeChange), notable, size: logChange(test.value, test.expected) };
}

/** The test of one series' point at `targetIndex` against its earlier points. */
export function testPointAt(points: readonly SeriesPoint[], targetIndex: number, alpha: number): BaselineTest | null {
  const target = points.find((point) => point.index === targetIndex);
  if (!target) return null;
  const earlier = points.filter((point) => point.index < targetIndex).map((point) => ({ x: point.index, value: point.value, executionId: point.executionId }));
  return testAgainstBaseline(earlier, targetIndex, target.value, alpha);
}

/** Every total-level series at the target execution. */
export function testSeriesAt(series: readonly MetricSeries[], targetIndex: number, thresholds: InsightThresholds, alpha = ANOMALY_ALPHA): Map<string, MetricTest> {
  const tests = new Map<string, MetricTest>();
  for (const { metric, points } of series) {
    const test = testPointAt(points, targetIndex, alpha);
    if (test) tests.set(metric.key, { metric, points, test, effect: effectOf(metric.key, test, thresholds) });
  }
  return tests;
}

/** A dimension key's (a campaign's) move in one metric, and how much of the volume it carries. */
export interface KeyMove {
  key: string;
  metric: string;
  test: BaselineTest;
  /** Its share of the metric's total: the larger of the target execution's and the earlier executions' median. */
  share: number;
  /** The median share over the earlier executions, and the share in the target execution. */
  shareBefore: number;
  shareLatest: number;
  /** Target value − expected, in the metric's unit: what it added to the total's move. */
  delta: number;
  /** Unusual, big enough, and on a key carrying at least `minVolumeShare`. */
  significant: boolean;
}

/** At most this many keys (the largest) are tested per dimension: a campaign past them cannot carry the minimum share. */
export const MAX_TESTED_KEYS = 40;

export function testKeyMoves(
  catalog: InsightMetrics,
  history: readonly ExecutionProfile[],
  targetIndex: number,
  dimension: string,
  metric: InsightMetric,
  totals: readonly SeriesPoint[],
  thresholds: InsightThresholds,
  alpha = ANOMALY_ALPHA,
): KeyMove[] {
  const tested = history.slice(0, targetIndex + 1);
  const columns = keyValuesOf(catalog, tested, dimension, metric);
  const keyVolume = new Map<string, number>();
  for (const position of [targetIndex, targetIndex - 1]) {
    const buckets = history[position]?.profile.dimensionBreakdowns[dimension];
    const values = columns[position]?.values;
    if (!buckets || !values) continue;
    for (let i = 0; i < buckets.length; i++) {
      if (!Number.isNaN(values[i])) keyVolume.set(buckets[i].key, Math.max(keyVolume.get(buckets[i].key) ?? 0, values[i]));
    }
  }
  const totalAt = new Map(totals.map((point) => [point.index, point.value]));
  const keys = [...keyVolume.entries()].filter(([key]) => key !== '__other__' && key !== '__null__').sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_TESTED_KEYS);
  const moves: KeyMove[] = [];
  // "Did any campaign break?" is one question asked of every key: Bonferroni over the keys.
  const keyAlpha = alpha / Math.max(1, keys.length);
  for (const [key] of keys) {
    const points = keySeriesFrom(tested, columns, key, metric);
    const test = testPointAt(points, targetIndex, keyAlpha);
    if (!test) continue;
    const shares = points
      .map((point) => ({ index: point.index, share: (totalAt.get(point.index) ?? 0) > 0 ? point.value / totalAt.get(point.index)! : 0 }));
    const earlierShares = shares.filter((entry) => entry.index < targetIndex).map((entry) => entry.share).sort((a, b) => a - b);
    const medianShare = earlierShares.length === 0 ? 0 : earlierShares[Math.floor((earlierShares.length - 1) / 2)];
    const shareLatest = shares.find((entry) => entry.index === targetIndex)?.share ?? 0;
    const share = Math.max(medianShare, shareLatest);
    const notable = Math.abs(test.relativeChange) >= thresholds.minRelativeChange;
    moves.push({
      key, metric: metric.key, test, share, shareBefore: medianShare, shareLatest,
      delta: test.value - test.expected, significant: notable && clearsFloor(test, thresholds.minRelativeChange) && share >= thresholds.minVolumeShare,
    });
  }
  return moves;
}
