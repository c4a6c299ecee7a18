import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { attributeCauses, type MetricEffect } from './cause-attribution';
import { periodOf, windowLabel } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId, idPart } from './finding-id';
import { assessmentOf, buildConsequences, buildNumbers, buildStatistics, changeUnit, directionOf, type NumberEntry } from './finding-numbers';
import { isNamedKey, metricByKey, type InsightMetric, type InsightMetrics, type MetricSeries } from './insight-metrics';
import type { InsightThresholds } from './insight-thresholds';
import { testSeriesAt } from './metric-tests';
import { roundStrength, saturate } from './strength';

/** A comparison is a moderate move: outside the 95 % interval, not the anomaly bar. */
export const COMPARISON_ALPHA = 0.05;
/** A key explaining at least half of a volume's movement is named with it. */
const MIN_MOVER_SHARE = 0.5;

/**
 * Latest vs previous window, for moves that are neither anomalies (their stronger statement) nor
 * explained by a recovery: at least the practical floor against the previous window, and outside
 * the 95 % prediction interval of the baseline, so one noisy week is not news. One finding per
 * cause (the funnel attribution again), naming both windows; a volume whose movement one campaign
 * explains names that campaign. Strength under 0.3: two windows are thin evidence, context for the
 * dashboard rather than news for a client (client exports start at 0.3, report-settings.ts).
 */
export function findComparisons(
  catalog: InsightMetrics,
  history: readonly ExecutionProfile[],
  series: readonly MetricSeries[],
  covered: ReadonlySet<string>,
  thresholds: InsightThresholds,
): Finding[] {
  const latestIndex = history.length - 1;
  if (latestIndex < 1) return [];
  const latest = history[latestIndex];
  const previous = history[latestIndex - 1];
  const tests = testSeriesAt(series, latestIndex, thresholds, COMPARISON_ALPHA);
  const pairs = new Map<string, { before: number; after: number }>();
  const effects = new Map<string, MetricEffect>();
  for (const { metric, points } of series) {
    const before = points.find((point) => point.index === latestIndex - 1)?.value;
    const after = points.find((point) => point.index === latestIndex)?.value;
    if (before === undefined || after === undefined || before === 0 || covered.has(metric.key)) continue;
    pairs.set(metric.key, { before, after });
    const change = after / before - 1;
    const notable = Math.abs(change) >= thresholds.minRelativeChange;
    const test = tests.get(metric.key)?.test;
    const unusual = test !== undefined && test.outside && Math.sign(test.relativeChange) === Math.sign(change);
    effects.set(metric.key, { metric: metric.key, significant: notable && unusual, notable, size: Math.log(Math.max(after, before / 1000) / before) });
  }
  return attributeCauses(catalog.chain, effects).flatMap((group): Finding[] => {
    const metric = metricByKey(catalog, group.cause);
    const pair = pairs.get(group.cause);
    const test = tests.get(group.cause)?.test;
    if (!metric || !pair || !test) return [];
    const change = pair.after / pair.before - 1;
    const followed = buildConsequences(
      group.consequences.map((key) => {
        const other = pairs.get(key);
        return { key, label: metricByKey(catalog, key)?.label ?? key, change: other ? other.after / other.before - 1 : undefined };
      }),
    );
    const mover = metric.kind === 'sum' ? topMover(catalog, metric, latest, previous) : undefined;
    const direction = directionOf(change);
    const entries: NumberEntry[] = [
      ['latest', pair.after, metric.unit],
      ['previous', pair.before, metric.unit],
      ['change', pair.after - pair.before, changeUnit(metric.unit)],
      ['changePct', change * 100, 'percent'],
      ...followed.entries,
      ...(mover
        ? ([
            ['moverLatest', mover.latest, metric.unit],
            ['moverPrevious', mover.previous, metric.unit],
            ['moverChange', mover.latest - mover.previous, changeUnit(metric.unit)],
            ['moverShareOfChangePct', mover.share * 100, 'percent'],
          ] as NumberEntry[])
        : []),
    ];
    return [
      {
        id: findingId('comparison', idPart(metric.key)),
        type: 'comparison',
        kind: 'comparison.metric',
        metric: metric.key,
        metricLabel: metric.label,
        ...(mover ? { dimension: mover.dimension, subject: mover.key } : {}),
        direction,
        assessment: assessmentOf(metric.upIsGood, direction),
        consequences: followed.consequences,
        labels: followed.labels,
        windows: { latest: windowLabel(latest), previous: windowLabel(previous), period: periodOf(latest) },
        ...buildNumbers(entries),
        executionIds: [previous.executionId, latest.executionId],
        strength: roundStrength(0.15 + 0.14 * saturate(Math.abs(test.score) / test.criticalValue - 1, 1)),
        statistics: buildStatistics({ score: test.score, criticalValue: test.criticalValue, ...(mover ? { keys: mover.keys } : {}) }),
        currency: catalog.frame.currency,
      },
    ];
  });
}

interface Mover {
  dimension: string;
  key: string;
  latest: number;
  previous: number;
  share: number;
  keys: number;
}

/** The campaign (first campaign-like dimension) that moved a volume most, if it explains at least half of the movement. */
function topMover(catalog: InsightMetrics, metric: InsightMetric, latest: ExecutionProfile, previous: ExecutionProfile): Mover | undefined {
  const dimension = catalog.dimensions.campaign ?? latest.profile.dimensions.find((name) => /campaign|line_item|creative/i.test(name));
  if (!dimension || !previous.profile.dimensionBreakdowns[dimension]) return undefined;
  const read = (execution: ExecutionProfile) => {
    const values = new Map<string, number>();
    let truncated = false;
    for (const bucket of execution.profile.dimensionBreakdowns[dimension] ?? []) {
      if (bucket.key === OTHER_BUCKET_KEY) truncated = true;
      if (!isNamedKey(bucket.key)) continue;
      const value = metric.valueOf(bucket.totals, catalog.frameOf(execution));
      if (value !== undefined) values.set(bucket.key, value);
    }
    return { values, truncated };
  };
  const now = read(latest);
  const before = read(previous);
  const movements: Array<{ key: string; latest: number; previous: number }> = [];
  for (const key of new Set([...now.values.keys(), ...before.values.keys()])) {
    // A key missing on one side is 0 only if that side listed every key; past the top K it is unknown.
    const a = now.values.get(key) ?? (now.truncated ? undefined : 0);
    const b = before.values.get(key) ?? (before.truncated ? undefined : 0);
    if (a !== undefined && b !== undefined) movements.push({ key, latest: a, previous: b });
  }
  const total = movements.reduce((sum, movement) => sum + Math.abs(movement.latest - movement.previous), 0);
  if (movements.length < 2 || total === 0) return undefined;
  movements.sort((a, b) => Math.abs(b.latest - b.previous) - Math.abs(a.latest - a.previous) || a.key.localeCompare(b.key));
  const top = movements[0];
  const share = Math.abs(top.latest - top.previous) / total;
  return share >= MIN_MOVER_SHARE ? { dimension, key: top.key, latest: top.latest, previous: top.previous, share, keys: movements.length } : undefined;
}
