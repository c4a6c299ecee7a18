import { headlineMetrics } from '@amc-reports/metrics';
import { periodOf, windowLabel } from './execution-windows';
import type { ExecutionProfile, Finding } from './finding';
import { findingId } from './finding-id';
import { buildNumbers, buildStatistics, type NumberEntry } from './finding-numbers';
import { headlineInsightMetrics, type InsightMetrics } from './insight-metrics';
import { roundStrength } from './strength';

const MAX_SUMMARY_METRICS = 8;

/**
 * Headline totals of the latest execution: the metric layer's headline metrics, the ones the
 * dashboard's cards show, with the same labels and values. Totals are exact, so the only doubt is
 * the rows AMC withheld under its privacy thresholds: strength = the share of rows that were counted.
 */
export function findSummary(catalog: InsightMetrics, latest: ExecutionProfile, touchModel?: string): Finding[] {
  const { profile } = latest;
  if (profile.rowCount <= 0) return [];
  const metrics = headlineInsightMetrics(catalog, headlineMetrics(catalog.frame, MAX_SUMMARY_METRICS));
  const entries: NumberEntry[] = metrics.map((metric) => [metric.key, metric.valueOf(profile.totals, catalog.frame), metric.unit]);
  if (profile.filteredRowCount > 0) entries.push(['withheldRows', profile.filteredRowCount, 'count']);
  const withheld = Math.min(profile.filteredRowCount, profile.rowCount);
  const numbers = buildNumbers(entries);
  return [
    {
      id: findingId('summary', 'totals'),
      type: 'summary',
      kind: 'summary',
      windows: { latest: windowLabel(latest), period: periodOf(latest) },
      ...numbers,
      labels: Object.fromEntries(metrics.filter((metric) => metric.key in numbers.numbers).map((metric) => [metric.key, metric.label])),
      currency: catalog.frame.currency,
      ...(touchModel ? { touchModel } : {}),
      executionIds: [latest.executionId],
      strength: roundStrength((profile.rowCount - withheld) / profile.rowCount),
      statistics: buildStatistics({ rowCount: profile.rowCount, filteredRowCount: profile.filteredRowCount }),
    },
  ];
}
