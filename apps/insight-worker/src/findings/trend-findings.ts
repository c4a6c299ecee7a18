import type { Finding } from './finding';
import { findingId, idPart } from './finding-id';
import { buildNumbers, buildStatistics, changeUnit } from './finding-numbers';
import { fitLeastSquares } from './least-squares';
import type { MetricSeries } from './insight-metrics';
import { roundStrength, saturate } from './strength';

export const MIN_TREND_POINTS = 3;
/** Below this the line explains under a fifth of the variation: noise, not a trend worth a sentence. */
export const MIN_TREND_R2 = 0.2;
/** A slope under half a percent of the average level per period is flat in practice. */
export const MIN_TREND_CHANGE_PCT_PER_PERIOD = 0.5;

/**
 * Least-squares slope of each metric over the executions (one period per execution, oldest
 * first). The % per period is the slope relative to the series mean, so it reads the same for
 * a metric in millions and one in single digits.
 */
export function findTrends(series: readonly MetricSeries[]): Finding[] {
  const findings: Finding[] = [];
  for (const { metric, points } of series) {
    if (points.length < MIN_TREND_POINTS) continue;
    const fit = fitLeastSquares(points.map((point) => point.value));
    if (!fit || fit.r2 < MIN_TREND_R2 || fit.meanY === 0) continue;
    const changePctPerPeriod = (fit.slope / Math.abs(fit.meanY)) * 100;
    if (Math.abs(changePctPerPeriod) < MIN_TREND_CHANGE_PCT_PER_PERIOD) continue;
    findings.push({
      id: findingId('trend', idPart(metric.key)),
      type: 'trend',
      metric: metric.key,
      metricLabel: metric.label,
      ...buildNumbers([
        ['slopePerPeriod', fit.slope, changeUnit(metric.unit)],
        ['changePctPerPeriod', changePctPerPeriod, 'percent'],
        ['first', points[0].value, metric.unit],
        ['latest', points[points.length - 1].value, metric.unit],
        ['periods', fit.n, 'count'],
      ]),
      executionIds: points.map((point) => point.executionId),
      strength: roundStrength(fit.r2 * saturate(fit.n - 2, 4)),
      statistics: buildStatistics({
        n: fit.n,
        r2: fit.r2,
        slope: fit.slope,
        intercept: fit.intercept,
        mean: fit.meanY,
      }),
    });
  }
  return findings;
}
