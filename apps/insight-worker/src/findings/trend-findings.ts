import { testTrend, type TrendTest } from './baseline-test';
import { attributeCauses, type MetricEffect } from './cause-attribution';
import { periodOf, spanLabel, windowLabel } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, idPart } from './finding-id';
import { assessmentOf, buildConsequences, buildNumbers, buildStatistics, directionOf } from './finding-numbers';
import { metricByKey, type InsightMetrics, type MetricSeries } from './insight-metrics';
import type { InsightThresholds } from './insight-thresholds';
import { testSharedTrend, type SharedTrend } from './shared-trend';
import { roundStrength, saturate } from './strength';

/**
 * Steady trends over the history, one finding per cause. Each series is fitted on the log scale
 * (a constant relative change per execution) without its outlying executions; a trend is reported
 * when the slope's t statistic passes TREND_ALPHA (0.1 %: a quiet series must not read as a trend)
 * and the fitted change over the span passes the practical floor. The volumes that trend because
 * the top of the funnel does (clicks and purchases growing with impressions) are its consequences.
 * A total whose own test falls short may still trend when its campaigns share the slope
 * (shared-trend.ts); `explainedLatest` names the metrics the latest execution's anomalies explain.
 */
export function findTrends(
  catalog: InsightMetrics,
  history: readonly ExecutionProfile[],
  series: readonly MetricSeries[],
  thresholds: InsightThresholds,
  explainedLatest: ReadonlySet<string> = new Set(),
): Finding[] {
  const tests = new Map<string, { test: TrendTest; series: MetricSeries; shared?: SharedTrend }>();
  const effects = new Map<string, MetricEffect>();
  for (const entry of series) {
    const own = testTrend(entry.points.map((point) => ({ x: point.index, value: point.value, executionId: point.executionId })));
    if (!own) continue;
    const pooled = own.significant ? null : testSharedTrend(catalog, history, entry, thresholds, explainedLatest.has(entry.metric.key));
    const test = pooled ? { ...pooled.total, significant: true } : own;
    const notable = Math.abs(test.changeOverSpan) >= thresholds.minRelativeChange;
    tests.set(entry.metric.key, { test, series: entry, ...(pooled ? { shared: pooled.shared } : {}) });
    effects.set(entry.metric.key, { metric: entry.metric.key, significant: test.significant && notable, notable, size: Math.log1p(Math.max(-0.999, test.changeOverSpan)) });
  }
  const latest = history[history.length - 1];
  return attributeCauses(catalog.chain, effects).flatMap((group): Finding[] => {
    const cause = tests.get(group.cause);
    const metric = metricByKey(catalog, group.cause);
    if (!cause || !metric || !latest) return [];
    const { test, series: { points }, shared } = cause;
    const followed = buildConsequences(
      group.consequences.map((key) => ({ key, label: metricByKey(catalog, key)?.label ?? key, change: tests.get(key)?.test.changePerPeriod })),
      'ChangePctPerPeriod',
    );
    const direction = directionOf(test.slope);
    const used = points.filter((point) => !test.outlierExecutionIds.includes(point.executionId));
    const spanned = history.filter((execution) => used.some((point) => point.executionId === execution.executionId));
    // A shared trend is as strong as its pooled test is clear.
    const exceedance = shared ? Math.abs(shared.slopeT) / shared.criticalValue : Math.abs(test.slopeT) / test.criticalValue;
    return [
      {
        id: findingId('trend', idPart(metric.key)),
        type: 'trend',
        kind: 'trend.metric',
        metric: metric.key,
        metricLabel: metric.label,
        direction,
        assessment: assessmentOf(metric.upIsGood, direction),
        consequences: followed.consequences,
        labels: followed.labels,
        windows: { latest: windowLabel(latest), baseline: spanLabel(spanned), period: periodOf(latest) },
        ...buildNumbers([
          ['changePctPerPeriod', test.changePerPeriod * 100, 'percent'],
          ['changePctOverSpan', test.changeOverSpan * 100, 'percent'],
          ['first', used[0]?.value, metric.unit],
          ['latest', used[used.length - 1]?.value, metric.unit],
          ['periods', test.used, 'count'],
          ...followed.entries,
        ]),
        executionIds: points.map((point) => point.executionId),
        // 0.35 at the test's edge; a clean fit (R²) over many points towards 0.85.
        strength: roundStrength(0.35 + 0.5 * test.r2 * saturate(exceedance - 1, 1) * saturate(test.used - 4, 4)),
        statistics: buildStatistics({
          r2: test.r2, slopeT: test.slopeT, criticalValue: test.criticalValue, df: test.df, leftOut: test.outlierExecutionIds.length,
          ...(shared ? { sharedSlopeT: shared.slopeT, sharedCriticalValue: shared.criticalValue, sharedDf: shared.df, sharedKeys: shared.keys } : {}),
        }),
        currency: catalog.frame.currency,
      },
    ];
  });
}
