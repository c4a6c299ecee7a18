import type { ChartAxis, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView, ViewType } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { CustomViewDeclaration, CustomViewFilter } from '@amc-reports/contracts/src/report-settings';
import { cleanFloat } from '../profile/metric-accumulator';
import { UnusableResultError } from '../profile/unusable-result.error';
import {
  type Aggregate,
  aggregateValue,
  combineAggregates,
  type CustomRowsResult,
  matchesKey,
  profileAggregate,
  rowsFromAggregates,
  type ValueScale,
} from './custom-view-rows';
import type { DashboardBuildInput, ViewDraft } from './dashboard-build-input';
import {
  type DashboardContext,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  toHistoryRef,
  windowLabel,
} from './dashboard-context';

type CustomContext = DashboardContext<'custom'>;

/**
 * Custom dashboard (DESIGN §6): the views declared in `visualization_settings.views`, computed from
 * the profile. What a profile can answer: y = numeric columns aggregated by sum / avg / count / max /
 * min over non-withheld values; x = a dimension, the date column, or the executions (`source:
 * history`); filters on x's keys, on metric values (like HAVING), and on one other dimension when
 * the profile has that pair (a facet × dimension breakdown). A view the profile cannot answer is
 * kept with no rows and a note saying why, so one bad declaration does not blank the dashboard.
 */
export function buildCustomViews(input: DashboardBuildInput): BuiltView[] {
  const context = prepareDashboard('custom', input);
  const { profile, visualization } = context;
  const declaredY = [...new Set(visualization.views.flatMap((view) => view.y))];
  if (!declaredY.some((column) => profile.metrics.includes(column))) {
    throw new UnusableResultError(
      'wrong_shape',
      `the custom views chart ${declaredY.join(', ')}, none of which is a numeric column of the result (numeric columns: ${profile.metrics.join(', ')})`,
    );
  }
  return finalizeViews(
    visualization.views.map((view) => buildCustomView(context, view)),
    visualization.hiddenViews,
  );
}

function buildCustomView(context: CustomContext, view: CustomViewDeclaration): ViewDraft {
  const { profile, spendUnit, columns } = context;
  const scale: ValueScale = (column, value) =>
    value !== null && spendUnit && column === columns.metrics.spend && view.aggregation !== 'count' ? cleanFloat(value / spendUnit.divisor) : value;
  const xAxis = axisFor(view, profile);
  const draft = (result: CustomRowsResult): ViewDraft => ({
    key: `custom.${view.key}`,
    name: view.title,
    viewType: viewTypeFor(view),
    chart: { kind: view.kind, title: view.title, ...(xAxis ? { x: xAxis } : {}), series: seriesFor(view, columns.metrics.spend) },
    data: {
      rows: result.rows,
      filteredRowCount: result.filteredRowCount,
      notes: [...result.notes, ...filteredRowsNotes(result.filteredRowCount)],
      ...(view.source === 'history' ? { history: context.history.map(toHistoryRef) } : {}),
    },
  });
  const unanswerable = (reason: string) => draft({ rows: [], filteredRowCount: 0, notes: [reason] });

  const missing = view.y.filter((column) => !profile.metrics.includes(column));
  if (missing.length > 0) return unanswerable(`${missing.join(', ')}: not a numeric column of the result`);
  const metricFilters = view.filters.filter((filter) => profile.metrics.includes(filter.column));
  const xFilters = view.filters.filter((filter) => filter.column === view.x && !profile.metrics.includes(filter.column));
  const dimensionFilters = view.filters.filter((filter) => profile.dimensions.includes(filter.column) && filter.column !== view.x);
  const unknown = view.filters.filter((filter) => ![...metricFilters, ...xFilters, ...dimensionFilters].includes(filter));
  if (unknown.length > 0) {
    return unanswerable(`cannot filter on ${unknown.map((filter) => filter.column).join(', ')}: not a column this view can filter by`);
  }

  if (view.source === 'history') {
    const entries = context.history.map((execution) => ({
      key: execution.timeWindowStart,
      label: windowLabel(execution),
      aggregate: filteredAggregate(execution.profile, dimensionFilters) ?? emptyAggregate(),
      extra: { executionId: execution.executionId },
    }));
    return draft(rowsFromAggregates(view, 'window', entries, metricFilters, scale, 'key'));
  }
  if (view.kind === 'metric' || view.x === undefined) {
    const aggregate = filteredAggregate(profile, dimensionFilters);
    if (!aggregate) return unanswerable('filters on more than one dimension need a breakdown the profile does not have');
    const row = Object.fromEntries(view.y.map((column) => [column, scale(column, aggregateValue(aggregate, column, view.aggregation))]));
    return draft({ rows: [{ ...row, filteredRowCount: aggregate.filteredRowCount }], filteredRowCount: aggregate.filteredRowCount, notes: [] });
  }
  if (view.x === profile.dateColumn) {
    if (dimensionFilters.length > 0) {
      return unanswerable('a view by date cannot filter on another dimension (the profile has no date × dimension breakdown)');
    }
    const entries = profile.dateSeries
      .filter((bucket) => xFilters.every((filter) => matchesKey(bucket.date, filter)))
      .map((bucket) => ({ key: bucket.date, aggregate: { ...bucket, filteredRowCount: bucket.filteredRowCount ?? 0 } }));
    return draft(rowsFromAggregates(view, view.x, entries, metricFilters, scale, 'key'));
  }
  if (!profile.dimensions.includes(view.x)) return unanswerable(`x "${view.x}" is neither a text column nor the date column of the result`);
  const entries = dimensionEntries(profile, view.x, dimensionFilters);
  if (!entries) {
    return unanswerable(`filtering ${view.x} by ${dimensionFilters.map((filter) => filter.column).join(', ')} needs a breakdown the profile does not have`);
  }
  const kept = entries.filter((entry) => xFilters.every((filter) => matchesKey(entry.key, filter)));
  return draft(rowsFromAggregates(view, view.x, kept, metricFilters, scale, 'value-desc'));
}

/** Buckets of `x`, restricted by filters on one other dimension through the pair's cross breakdown. */
function dimensionEntries(
  profile: ResultProfile,
  x: string,
  filters: readonly CustomViewFilter[],
): Array<{ key: string; aggregate: Aggregate }> | null {
  if (filters.length === 0) return (profile.dimensionBreakdowns[x] ?? []).map((bucket) => ({ key: bucket.key, aggregate: bucket }));
  const filterColumns = [...new Set(filters.map((filter) => filter.column))];
  if (filterColumns.length > 1) return null;
  const cross = (profile.crossBreakdowns ?? []).find((entry) => entry.dimensions.includes(x) && entry.dimensions.includes(filterColumns[0]));
  if (!cross) return null;
  const xIndex = cross.dimensions.indexOf(x);
  const grouped = new Map<string, Aggregate[]>();
  for (const bucket of cross.buckets) {
    if (!filters.every((filter) => matchesKey(bucket.keys[1 - xIndex], filter))) continue;
    const key = bucket.keys[xIndex];
    grouped.set(key, [...(grouped.get(key) ?? []), bucket]);
  }
  return [...grouped.entries()].map(([key, parts]) => ({ key, aggregate: combineAggregates(parts) }));
}

/** The whole result, or the buckets of one dimension that pass its filters; null for filters on several dimensions. */
function filteredAggregate(profile: ResultProfile, filters: readonly CustomViewFilter[]): Aggregate | null {
  if (filters.length === 0) return profileAggregate(profile);
  const filterColumns = [...new Set(filters.map((filter) => filter.column))];
  if (filterColumns.length > 1) return null;
  const buckets = profile.dimensionBreakdowns[filterColumns[0]] ?? [];
  return combineAggregates(buckets.filter((bucket) => filters.every((filter) => matchesKey(bucket.key, filter))));
}

function emptyAggregate(): Aggregate {
  return { rowCount: 0, filteredRowCount: 0, totals: {} };
}

function axisFor(view: CustomViewDeclaration, profile: ResultProfile): ChartAxis | undefined {
  if (view.source === 'history') return { field: 'window', type: 'category', label: 'Time window' };
  if (view.kind === 'metric' || view.x === undefined) return undefined;
  return { field: view.x, type: view.x === profile.dateColumn ? 'time' : 'category', label: humanizeColumn(view.x) };
}

function seriesFor(view: CustomViewDeclaration, spendColumn: string | undefined): ChartSeries[] {
  return view.y.map((column) => ({
    field: column,
    label: view.aggregation === 'sum' ? humanizeColumn(column) : `${humanizeColumn(column)} (${view.aggregation})`,
    format: view.format ?? (view.aggregation === 'count' ? 'integer' : column === spendColumn ? 'currency' : 'number'),
  }));
}

function viewTypeFor(view: CustomViewDeclaration): ViewType {
  if (view.kind === 'table') return 'table';
  if (view.kind === 'metric') return 'metric_card';
  return 'chart';
}
