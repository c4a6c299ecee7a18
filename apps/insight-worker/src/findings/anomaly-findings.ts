import type { Finding } from './finding';
import { findingId, idPart } from './finding-id';
import { buildNumbers, buildStatistics, percentChange } from './finding-numbers';
import type { MetricSeries } from './insight-metrics';
import { robustZScore } from './robust-z-score';
import { roundStrength, saturate } from './strength';

export const ANOMALY_Z_THRESHOLD = 3;
/** A median and MAD of fewer than 4 points move with every new point: too thin to call an outlier. */
export const MIN_ANOMALY_HISTORY = 4;

/**
 * The latest execution's value of each metric against the earlier executions' values,
 * by robust z-score (median / MAD). Every metric here is a count, an amount or a rate,
 * none can be negative, so the expected range is clipped at 0.
 */
export function findAnomalies(series: readonly MetricSeries[], latestExecutionId: string): Finding[] {
  const findings: Finding[] = [];
  for (const { metric, points } of series) {
    const latest = points[points.length - 1];
    if (!latest || latest.executionId !== latestExecutionId) continue;
    const history = points.slice(0, -1);
    if (history.length < MIN_ANOMALY_HISTORY) continue;
    const score = robustZScore(
      latest.value,
      history.map((point) => point.value),
      ANOMALY_Z_THRESHOLD,
    );
    if (!score || Math.abs(score.z) < ANOMALY_Z_THRESHOLD) continue;
    findings.push({
      id: findingId('anomaly', idPart(metric.key)),
      type: 'anomaly',
      metric: metric.key,
      metricLabel: metric.label,
      ...buildNumbers([
        ['latest', latest.value, metric.unit],
        ['expected', score.median, metric.unit],
        ['expectedLow', Math.max(0, score.expectedLow), metric.unit],
        ['expectedHigh', score.expectedHigh, metric.unit],
        ['deviationPct', percentChange(latest.value, score.median), 'percent'],
      ]),
      executionIds: points.map((point) => point.executionId),
      strength: roundStrength(saturate(Math.abs(score.z), 3) * saturate(history.length - 1, 4)),
      statistics: buildStatistics({
        z: score.z,
        median: score.median,
        mad: score.mad,
        scale: score.scale,
        historySize: history.length,
      }),
    });
  }
  return findings;
}
