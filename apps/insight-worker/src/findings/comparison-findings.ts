import { OTHER_BUCKET_KEY, type DimensionBucket } from '@amc-reports/contracts/src/result-profile';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, hashText, idPart } from './finding-id';
import { buildNumbers, buildStatistics, changeUnit, percentChange } from './finding-numbers';
import type { MetricFrame } from '@amc-reports/metrics';
import { isNamedKey, outcomeMetrics, type InsightMetric, type InsightMetrics, type MetricSeries } from './insight-metrics';
import { roundStrength, saturate } from './strength';

export const MIN_COMPARISON_CHANGE_PCT = 5;
const MOVER_METRICS = 2;
const MOVER_DIMENSIONS = 2;
const MOVERS_PER_DIMENSION = 2;
/** A key that explains less than a tenth of the movement is not a "top" mover. */
const MIN_MOVER_SHARE = 0.1;

/** Latest vs previous execution: every metric that moved ≥ 5 %, then the keys that moved it most. */
export function findComparisons(
  series: readonly MetricSeries[],
  latest: ExecutionProfile,
  previous: ExecutionProfile | undefined,
  catalog: InsightMetrics,
): Finding[] {
  if (!previous) return [];
  const findings: Finding[] = [];
  for (const { metric, points } of series) {
    const [before, after] = points.slice(-2);
    if (!before || !after || after.executionId !== latest.executionId || before.executionId !== previous.executionId) continue;
    const changePct = percentChange(after.value, before.value);
    if (changePct === undefined || Math.abs(changePct) < MIN_COMPARISON_CHANGE_PCT) continue;
    findings.push({
      id: findingId('comparison', idPart(metric.key)),
      type: 'comparison',
      metric: metric.key,
      metricLabel: metric.label,
      ...buildNumbers([
        ['latest', after.value, metric.unit],
        ['previous', before.value, metric.unit],
        ['change', after.value - before.value, changeUnit(metric.unit)],
        ['changePct', changePct, 'percent'],
      ]),
      executionIds: [previous.executionId, latest.executionId],
      strength: roundStrength(0.5 * saturate(Math.abs(changePct), 50)),
      statistics: buildStatistics({ absChangePct: Math.abs(changePct) }),
    });
  }
  for (const metric of outcomeMetrics(catalog, MOVER_METRICS)) {
    const dimensions = latest.profile.dimensions.filter((dimension) => previous.profile.dimensionBreakdowns[dimension]);
    for (const dimension of dimensions.slice(0, MOVER_DIMENSIONS)) {
      findings.push(...findTopMovers(metric, dimension, { execution: latest, frame: catalog.frame }, { execution: previous, frame: catalog.frameOf(previous) }));
    }
  }
  return findings;
}

interface KeyMovement {
  key: string;
  latest: number;
  previous: number;
  change: number;
}

interface ReadExecution {
  execution: ExecutionProfile;
  frame: MetricFrame;
}

function valuesByKey(buckets: readonly DimensionBucket[], metric: InsightMetric, frame: MetricFrame): { values: Map<string, number>; truncated: boolean } {
  const values = new Map<string, number>();
  let truncated = false;
  for (const bucket of buckets) {
    if (bucket.key === OTHER_BUCKET_KEY) truncated = true;
    else if (!isNamedKey(bucket.key)) continue;
    else {
      const value = metric.valueOf(bucket.totals, frame);
      if (value !== undefined) values.set(bucket.key, value);
    }
  }
  return { values, truncated };
}

function findTopMovers(metric: InsightMetric, dimension: string, latestRead: ReadExecution, previousRead: ReadExecution): Finding[] {
  const latest = latestRead.execution;
  const previous = previousRead.execution;
  const now = valuesByKey(latest.profile.dimensionBreakdowns[dimension] ?? [], metric, latestRead.frame);
  const before = valuesByKey(previous.profile.dimensionBreakdowns[dimension] ?? [], metric, previousRead.frame);
  const keys = new Set([...now.values.keys(), ...before.values.keys()]);
  if (keys.size < 2) return [];
  const movements: KeyMovement[] = [];
  for (const key of keys) {
    // A key missing on one side is 0 only if that side listed every key; past the top K it is unknown.
    const latestValue = now.values.get(key) ?? (now.truncated ? undefined : 0);
    const previousValue = before.values.get(key) ?? (before.truncated ? undefined : 0);
    if (latestValue === undefined || previousValue === undefined) continue;
    movements.push({ key, latest: latestValue, previous: previousValue, change: latestValue - previousValue });
  }
  const totalMovement = movements.reduce((sum, movement) => sum + Math.abs(movement.change), 0);
  if (totalMovement === 0) return [];
  movements.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.key.localeCompare(b.key));
  return movements
    .slice(0, MOVERS_PER_DIMENSION)
    .flatMap((movement): Finding[] => {
      const share = Math.abs(movement.change) / totalMovement;
      const changePct = percentChange(movement.latest, movement.previous);
      if (share < MIN_MOVER_SHARE || (changePct !== undefined && Math.abs(changePct) < MIN_COMPARISON_CHANGE_PCT)) return [];
      const effect = changePct === undefined ? 1 : saturate(Math.abs(changePct), 50);
      return [
        {
          id: findingId('comparison', idPart(metric.key), idPart(dimension), `k${hashText(movement.key)}`),
          type: 'comparison',
          metric: metric.key,
          metricLabel: metric.label,
          dimension,
          subject: movement.key,
          ...buildNumbers([
            ['latest', movement.latest, metric.unit],
            ['previous', movement.previous, metric.unit],
            ['change', movement.change, changeUnit(metric.unit)],
            ['changePct', changePct, 'percent'],
            ['shareOfChangePct', share * 100, 'percent'],
          ]),
          executionIds: [previous.executionId, latest.executionId],
          strength: roundStrength(0.5 * effect * share),
          statistics: buildStatistics({ share, keys: movements.length }),
        },
      ];
    });
}
