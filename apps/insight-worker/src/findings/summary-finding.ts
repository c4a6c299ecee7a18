import type { ExecutionProfile, Finding } from './finding';
import { findingId } from './finding-id';
import { buildNumbers, buildStatistics, type NumberEntry } from './finding-numbers';
import { headlineMetrics, type MetricCatalog } from './metric-catalog';
import { roundStrength } from './strength';

const MAX_SUMMARY_METRICS = 8;

/**
 * Headline totals of the latest execution. Totals are exact, so the only doubt is the rows AMC
 * withheld under its privacy thresholds: strength = the share of rows that were counted.
 */
export function findSummary(catalog: MetricCatalog, latest: ExecutionProfile): Finding[] {
  const { profile } = latest;
  if (profile.rowCount <= 0) return [];
  const entries: NumberEntry[] = headlineMetrics(catalog)
    .slice(0, MAX_SUMMARY_METRICS)
    .map((metric) => [metric.key, metric.valueOf(profile.totals), metric.unit]);
  if (profile.filteredRowCount > 0) entries.push(['withheldRows', profile.filteredRowCount, 'count']);
  const withheld = Math.min(profile.filteredRowCount, profile.rowCount);
  return [
    {
      id: findingId('summary', 'totals'),
      type: 'summary',
      ...buildNumbers(entries),
      executionIds: [latest.executionId],
      strength: roundStrength((profile.rowCount - withheld) / profile.rowCount),
      statistics: buildStatistics({ rowCount: profile.rowCount, filteredRowCount: profile.filteredRowCount }),
    },
  ];
}
