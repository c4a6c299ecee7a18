import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import type { BucketMetricStats, MetricTotals, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import type { CustomAggregation, CustomViewDeclaration, CustomViewFilter } from '@amc-reports/contracts/src/report-settings';
import { cleanFloat } from '@amc-reports/metrics';
import { bucketLabel, compareText } from './dashboard-context';
import type { MaybeNumber } from './metric-reader';

/** The numbers a custom view can aggregate: the profile's buckets all have this shape. */
export interface Aggregate extends BucketMetricStats {
  rowCount: number;
  filteredRowCount: number;
  totals: MetricTotals;
}

export interface CustomRowsResult {
  rows: ChartRow[];
  filteredRowCount: number;
  notes: string[];
}

/**
 * The value of one field of a custom view in an aggregate: a y column aggregated as the view says
 * (spend converted to dollars), or a catalogue metric as a ratio of sums.
 */
export type FieldValue = (aggregate: Aggregate, field: string) => MaybeNumber;

export function combineAggregates(parts: readonly Aggregate[]): Aggregate {
  const combined: Required<Aggregate> = { rowCount: 0, filteredRowCount: 0, totals: {}, valueCounts: {}, min: {}, max: {} };
  for (const part of parts) {
    combined.rowCount += part.rowCount;
    combined.filteredRowCount += part.filteredRowCount;
    for (const [column, value] of Object.entries(part.totals)) combined.totals[column] = cleanFloat((combined.totals[column] ?? 0) + value);
    for (const [column, value] of Object.entries(part.valueCounts ?? {})) combined.valueCounts[column] = (combined.valueCounts[column] ?? 0) + value;
    for (const [column, value] of Object.entries(part.min ?? {})) combined.min[column] = Math.min(combined.min[column] ?? Infinity, value);
    for (const [column, value] of Object.entries(part.max ?? {})) combined.max[column] = Math.max(combined.max[column] ?? -Infinity, value);
  }
  return combined;
}

/** The whole result as one aggregate. */
export function profileAggregate(profile: ResultProfile): Aggregate {
  const stats = Object.entries(profile.metricStats ?? {});
  return {
    rowCount: profile.rowCount,
    filteredRowCount: profile.filteredRowCount,
    totals: profile.totals,
    valueCounts: Object.fromEntries(stats.map(([column, stat]) => [column, stat.count])),
    min: Object.fromEntries(stats.map(([column, stat]) => [column, stat.min])),
    max: Object.fromEntries(stats.map(([column, stat]) => [column, stat.max])),
  };
}

/** sum / avg / count / max / min of one metric over the non-withheld values of an aggregate. */
export function aggregateValue(aggregate: Aggregate, column: string, aggregation: CustomAggregation): MaybeNumber {
  const count = aggregate.valueCounts?.[column] ?? 0;
  switch (aggregation) {
    case 'count':
      return count;
    case 'sum':
      return aggregate.totals[column] ?? null;
    case 'avg':
      return count === 0 || aggregate.totals[column] === undefined ? null : aggregate.totals[column] / count;
    case 'max':
      return aggregate.max?.[column] ?? null;
    case 'min':
      return aggregate.min?.[column] ?? null;
  }
}

export function matchesKey(key: string, filter: CustomViewFilter): boolean {
  switch (filter.op) {
    case 'eq':
      return key === String(filter.value);
    case 'neq':
      return key !== String(filter.value);
    case 'in':
      return filter.values.some((value) => key === String(value));
    case 'not_in':
      return !filter.values.some((value) => key === String(value));
    default:
      return compareNumber(Number(key), filter.op, filter.value);
  }
}

export function matchesValue(value: MaybeNumber, filter: CustomViewFilter): boolean {
  if (value === null) return false;
  switch (filter.op) {
    case 'eq':
      return value === Number(filter.value);
    case 'neq':
      return value !== Number(filter.value);
    case 'in':
      return filter.values.some((entry) => value === Number(entry));
    case 'not_in':
      return !filter.values.some((entry) => value === Number(entry));
    default:
      return compareNumber(value, filter.op, filter.value);
  }
}

function compareNumber(value: number, op: 'gt' | 'gte' | 'lt' | 'lte', bound: number): boolean {
  if (Number.isNaN(value)) return false;
  if (op === 'gt') return value > bound;
  if (op === 'gte') return value >= bound;
  if (op === 'lt') return value < bound;
  return value <= bound;
}

/**
 * Rows of a custom view from keyed aggregates (dimension keys, dates or executions): metric filters
 * act on the aggregated values (like SQL HAVING), then sort and top N. The folded `__other__`
 * bucket is kept last, and only when nothing was filtered or cut.
 */
export function rowsFromAggregates(
  view: CustomViewDeclaration,
  xField: string,
  entries: ReadonlyArray<{ key: string; label?: string; aggregate: Aggregate; extra?: ChartRow }>,
  metricFilters: readonly CustomViewFilter[],
  valueOf: FieldValue,
  defaultSort: 'value-desc' | 'key',
): CustomRowsResult {
  const fields = [...view.y, ...view.metrics];
  const kept = entries.filter((entry) => metricFilters.every((filter) => matchesValue(valueOf(entry.aggregate, filter.column), filter)));
  const other = kept.filter((entry) => entry.key === OTHER_BUCKET_KEY);
  const ranked = kept.filter((entry) => entry.key !== OTHER_BUCKET_KEY);
  const sort = view.sort ?? defaultSort;
  const first = fields[0];
  ranked.sort((a, b) => {
    if (sort === 'key') return compareText(a.key, b.key);
    const difference = (valueOf(b.aggregate, first) ?? -Infinity) - (valueOf(a.aggregate, first) ?? -Infinity);
    return (sort === 'value-asc' ? -difference : difference) || compareText(a.key, b.key);
  });
  const limited = view.topN === undefined ? ranked : ranked.slice(0, view.topN);
  const shown = limited.length === ranked.length && metricFilters.length === 0 ? [...limited, ...other] : limited;
  return {
    rows: shown.map((entry) => ({
      [xField]: entry.label ?? bucketLabel(entry.key),
      ...entry.extra,
      ...Object.fromEntries(fields.map((field) => [field, valueOf(entry.aggregate, field)])),
      filteredRowCount: entry.aggregate.filteredRowCount,
    })),
    filteredRowCount: shown.reduce((sum, entry) => sum + entry.aggregate.filteredRowCount, 0),
    notes: limited.length < ranked.length ? [`top ${limited.length} of ${ranked.length}`] : [],
  };
}
