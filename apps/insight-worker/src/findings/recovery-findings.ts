import { testAgainstBaseline } from './baseline-test';
import type { AttributedCause, ExecutionAnalysis } from './execution-causes';
import { periodOf, spanLabel, windowLabel } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, hashText, idPart } from './finding-id';
import { assessmentOf, buildConsequences, buildNumbers, buildStatistics, directionOf } from './finding-numbers';
import { buildKeySeries, metricByKey, type InsightMetrics, type MetricSeries, type SeriesPoint } from './insight-metrics';
import type { InsightThresholds } from './insight-thresholds';
import { median } from './robust-statistics';
import { roundStrength, saturate } from './strength';

/** "Back to the usual level": inside the 95 % interval of the baseline before the anomaly (or within the practical floor of it). */
export const RECOVERY_ALPHA = 0.05;

/**
 * A week-on-week comparison against a window that was itself anomalous is context, not news:
 * "Purchases rose 244 % versus the previous execution" after a collapsed week reads as a boom when
 * it is a return to normal. For each cause of the previous execution's anomalies, when the latest
 * execution is back inside the range its pre-anomaly baseline predicts, one finding says so and
 * names both windows: back to the n-week median after the drop of <previous window> (or partly
 * back, still so far from it, when it has not yet returned inside the baseline's range). Its strength
 * stays under 0.45, below every anomaly (≥ 0.5), so it ranks below the anomaly it explains.
 * Returns the findings and the total-level metrics they account for (no comparison repeats them).
 */
export function findRecoveries(
  catalog: InsightMetrics,
  history: readonly ExecutionProfile[],
  series: readonly MetricSeries[],
  previous: ExecutionAnalysis,
  thresholds: InsightThresholds,
): { findings: Finding[]; covered: Set<string> } {
  const findings: Finding[] = [];
  const covered = new Set<string>();
  const latestIndex = previous.targetIndex + 1;
  const pointsOf = (cause: AttributedCause): SeriesPoint[] | undefined => {
    const metric = metricByKey(catalog, cause.metric);
    if (!metric) return undefined;
    if (cause.kind === 'anomaly.campaign' && cause.move && cause.dimension) return buildKeySeries(catalog, history, cause.dimension, cause.move.key, metric);
    return cause.kind === 'anomaly.metric' ? series.find((entry) => entry.metric.key === cause.metric)?.points : undefined;
  };
  for (const cause of previous.causes) {
    const metric = metricByKey(catalog, cause.metric);
    const points = pointsOf(cause);
    const anomalous = cause.kind === 'anomaly.campaign' ? cause.move?.test : previous.tests.get(cause.metric)?.test;
    const before = points?.find((point) => point.index === previous.targetIndex);
    const now = points?.find((point) => point.index === latestIndex);
    if (!metric || !points || !anomalous || !before || !now || before.value === 0) continue;
    const baselinePoints = points.filter((point) => point.index < previous.targetIndex);
    const back = testAgainstBaseline(baselinePoints.map((point) => ({ x: point.index, value: point.value, executionId: point.executionId })), latestIndex, now.value, RECOVERY_ALPHA);
    const change = now.value / before.value - 1;
    // A move back by the floor or more is context either way: all the way back (inside the
    // baseline's 95 % interval, or within the floor of its expectation), or partly, still off.
    const movedBack = Math.sign(change) === -Math.sign(anomalous.relativeChange) && Math.abs(change) >= thresholds.minRelativeChange;
    if (!back || !movedBack) continue;
    const partial = back.outside && Math.abs(back.relativeChange) >= thresholds.minRelativeChange;
    const changeVsPrevious = (key: string) => {
      const entry = series.find((candidate) => candidate.metric.key === key)?.points;
      const a = entry?.find((point) => point.index === previous.targetIndex)?.value;
      const b = entry?.find((point) => point.index === latestIndex)?.value;
      return a && b !== undefined ? b / a - 1 : undefined;
    };
    const baselineMedian = median(baselinePoints.map((point) => point.value));
    const followed = buildConsequences(
      cause.consequences
        .filter((key) => key !== cause.metric || cause.kind === 'anomaly.campaign')
        .map((key) => ({ key, label: metricByKey(catalog, key)?.label ?? key, change: changeVsPrevious(key) }))
        .filter((entry) => entry.change !== undefined && Math.sign(entry.change) === Math.sign(change) && Math.abs(entry.change) >= thresholds.minRelativeChange),
    );
    if (cause.kind === 'anomaly.metric') covered.add(cause.metric);
    for (const key of cause.consequences) covered.add(key);
    const direction = directionOf(change);
    const earlier = history.slice(0, previous.targetIndex);
    findings.push({
      id: findingId('comparison', 'recovery', idPart(metric.key), ...(cause.move && cause.dimension ? [idPart(cause.dimension), `k${hashText(cause.move.key)}`] : [])),
      type: 'comparison',
      kind: 'comparison.recovery',
      metric: metric.key,
      metricLabel: metric.label,
      ...(cause.move && cause.dimension ? { dimension: cause.dimension, subject: cause.move.key } : {}),
      direction,
      assessment: assessmentOf(metric.upIsGood, direction),
      consequences: followed.consequences,
      labels: followed.labels,
      windows: {
        latest: windowLabel(history[latestIndex]),
        previous: windowLabel(history[previous.targetIndex]),
        anomalous: windowLabel(history[previous.targetIndex]),
        ...(earlier.length > 0 ? { baseline: spanLabel(earlier) } : {}),
        period: periodOf(history[latestIndex]),
      },
      ...buildNumbers([
        ['latest', now.value, metric.unit],
        ['baselineMedian', baselineMedian, metric.unit],
        ['medianGapPct', baselineMedian > 0 ? (now.value / baselineMedian - 1) * 100 : undefined, 'percent'],
        ['baselinePeriods', baselinePoints.length, 'count'],
        ['previous', before.value, metric.unit],
        ['previousChangePct', anomalous.relativeChange * 100, 'percent'],
        ['changePct', change * 100, 'percent'],
        ...followed.entries,
      ]),
      executionIds: history.slice(0, latestIndex + 1).map((execution) => execution.executionId),
      strength: roundStrength(0.3 + 0.15 * saturate(Math.abs(anomalous.score) / anomalous.criticalValue - 1, 1)),
      statistics: buildStatistics({ score: back.score, criticalValue: back.criticalValue, previousScore: anomalous.score, partial: partial ? 1 : 0 }),
      currency: catalog.frame.currency,
    });
  }
  return { findings, covered };
}
