import type { ChartAxis, ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView, ViewType } from '@amc-reports/contracts/src/dashboard-view';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { CustomViewDeclaration, CustomViewFilter } from '@amc-reports/contracts/src/report-settings';
import { cleanFloat, type MetricFrame, metricValue, readSums } from '@amc-reports/metrics';
import { UnusableResultError } from '@amc-reports/result-profile';
import {
  type Aggregate,
  aggregateValue,
  combineAggregates,
  type CustomRowsResult,
  type FieldValue,
  matchesKey,
  profileAggregate,
  rowsFromAggregates,
} from './custom-view-rows';
import type { DashboardBuildInput, ExecutionProfile, ViewDraft } from './dashboard-build-input';
import {
  contextData,
  contextNotes,
  type DashboardContext,
  filteredRowsNotes,
  finalizeViews,
  humanizeColumn,
  prepareDashboard,
  previousExecution,
  readerForExecution,
  toHistoryRef,
  viewComparison,
  windowLabel,
  windowRange,
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
  const declaredMetrics = [...new Set(visualization.views.flatMap((view) => view.metrics))];
  if (!declaredY.some((column) => profile.metrics.includes(column)) && !declaredMetrics.some((id) => context.reader.has(id))) {
    const asked = [...declaredY, ...declaredMetrics.map((id) => `metric ${id}`)].join(', ');
    throw new UnusableResultError(
      'wrong_shape',
      `the custom views chart ${asked}, none of which this result has (numeric columns: ${profile.metrics.join(', ')})`,
    );
  }
  return finalizeViews(
    visualization.views.map((view) => buildCustomView(context, view)),
    visualization.hiddenViews,
  );
}

/**
 * A y column aggregated as declared (a spend column converted to dollars), or a catalogue metric
 * from the aggregate's sums (a ratio of sums whatever the aggregation).
 */
function fieldValueFor(view: CustomViewDeclaration, frame: MetricFrame): FieldValue {
  const spendColumns = frame.columns.spend?.columns ?? [];
  const metrics = new Set(view.metrics);
  return (aggregate, field) => {
    if (metrics.has(field)) return metricValue(field, readSums(aggregate.totals, frame));
    const value = aggregateValue(aggregate, field, view.aggregation);
    return value !== null && frame.spend && spendColumns.includes(field) && view.aggregation !== 'count' ? cleanFloat(value / frame.spend.divisor) : value;
  };
}

function buildCustomView(context: CustomContext, view: CustomViewDeclaration): ViewDraft {
  const { reader } = context;
  // Touch models are never added up: a view reads one model's rows, unless it groups or filters
  // by the model column itself (then it says which model each number is for).
  const modelColumn = context.touchModel?.column;
  const namesModel = modelColumn !== undefined && (view.x === modelColumn || view.filters.some((filter) => filter.column === modelColumn));
  const profile = namesModel ? context.unscopedProfile : context.profile;
  const valueOf = fieldValueFor(view, context.frame);
  const xAxis = axisFor(view, profile);
  const draft = (result: CustomRowsResult, extra: Partial<ViewDraft['data']> = {}): ViewDraft => ({
    key: `custom.${view.key}`,
    name: view.title,
    viewType: viewTypeFor(view),
    chart: { kind: view.kind, title: view.title, ...(xAxis ? { x: xAxis } : {}), series: seriesFor(context, view), currency: context.frame.currency },
    data: {
      rows: result.rows,
      filteredRowCount: result.filteredRowCount,
      formulas: reader.formulas(view.metrics.filter((id) => reader.has(id))),
      notes: [...result.notes, ...(namesModel ? reader.spendNotes() : contextNotes(context)), ...filteredRowsNotes(result.filteredRowCount)],
      ...(view.source === 'history' ? { history: context.history.map(toHistoryRef) } : {}),
      ...contextData(context),
      ...extra,
    },
  });
  const unanswerable = (reason: string) => draft({ rows: [], filteredRowCount: 0, notes: [reason] });

  const missing = view.y.filter((column) => !profile.metrics.includes(column));
  if (missing.length > 0) return unanswerable(`${missing.join(', ')}: not a numeric column of the result`);
  const missingMetrics = view.metrics.filter((id) => !reader.has(id));
  if (missingMetrics.length > 0) {
    return unanswerable(`${missingMetrics.map((id) => reader.label(id)).join(', ')}: the result lacks a column this metric is computed from`);
  }
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
    return draft(rowsFromAggregates(view, 'window', entries, metricFilters, valueOf, 'key'));
  }
  if (view.kind === 'metric' || view.x === undefined) {
    const aggregate = filteredAggregate(profile, dimensionFilters);
    if (!aggregate) return unanswerable('filters on more than one dimension need a breakdown the profile does not have');
    return metricCards(context, view, aggregate, dimensionFilters, draft, namesModel);
  }
  if (view.x === profile.dateColumn) {
    if (dimensionFilters.length > 0) {
      return unanswerable('a view by date cannot filter on another dimension (the profile has no date × dimension breakdown)');
    }
    const entries = profile.dateSeries
      .filter((bucket) => xFilters.every((filter) => matchesKey(bucket.date, filter)))
      .map((bucket) => ({ key: bucket.date, aggregate: { ...bucket, filteredRowCount: bucket.filteredRowCount ?? 0 } }));
    return draft(rowsFromAggregates(view, view.x, entries, metricFilters, valueOf, 'key'));
  }
  if (!profile.dimensions.includes(view.x)) return unanswerable(`x "${view.x}" is neither a text column nor the date column of the result`);
  const entries = dimensionEntries(profile, view.x, dimensionFilters);
  if (!entries) {
    return unanswerable(`filtering ${view.x} by ${dimensionFilters.map((filter) => filter.column).join(', ')} needs a breakdown the profile does not have`);
  }
  const kept = entries.filter((entry) => xFilters.every((filter) => matchesKey(entry.key, filter)));
  return draft(rowsFromAggregates(view, view.x, kept, metricFilters, valueOf, 'value-desc'));
}

/**
 * Metric cards: the latest execution beside the previous usable one (the history holds only
 * usable executions), each read with its own spend unit, so a card always has its comparison.
 */
function metricCards(
  context: CustomContext,
  view: CustomViewDeclaration,
  aggregate: Aggregate,
  filters: readonly CustomViewFilter[],
  draft: (result: CustomRowsResult, extra?: Partial<ViewDraft['data']>) => ViewDraft,
  namesModel: boolean,
): ViewDraft {
  const fields = [...view.y, ...view.metrics];
  const rowOf = (execution: ExecutionProfile, part: Aggregate, valueOf: FieldValue): ChartRow => ({
    period: execution.executionId === context.latest.executionId ? 'latest' : 'previous',
    window: windowRange(execution),
    ...Object.fromEntries(fields.map((field) => [field, valueOf(part, field)])),
    filteredRowCount: part.filteredRowCount,
  });
  const rows = [rowOf(context.latest, aggregate, fieldValueFor(view, context.frame))];
  const previous = previousExecution(context);
  // The previous execution is kept scoped to the report's model; a view naming the model compares only the latest.
  const previousAggregate = previous && !namesModel ? filteredAggregate(previous.profile, filters) : null;
  if (previous && previousAggregate) rows.push(rowOf(previous, previousAggregate, fieldValueFor(view, readerForExecution(context, previous).frame)));
  return draft(
    { rows, filteredRowCount: aggregate.filteredRowCount, notes: [] },
    {
      window: { latest: windowRange(context.latest), ...(previous ? { previous: windowRange(previous) } : {}) },
      ...(viewComparison(context) ? { comparison: viewComparison(context) } : {}),
    },
  );
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
  if (view.kind === 'metric') return { field: 'period', type: 'category' };
  if (view.x === undefined) return undefined;
  return { field: view.x, type: view.x === profile.dateColumn ? 'time' : 'category', label: humanizeColumn(view.x) };
}

function seriesFor(context: CustomContext, view: CustomViewDeclaration): ChartSeries[] {
  const spendColumns = context.frame.columns.spend?.columns ?? [];
  return [
    ...view.y.map((column) => ({
      field: column,
      label: view.aggregation === 'sum' ? humanizeColumn(column) : `${humanizeColumn(column)} (${view.aggregation})`,
      format: view.format ?? (view.aggregation === 'count' ? 'integer' : spendColumns.includes(column) ? 'currency' : 'number'),
    })),
    ...view.metrics.map((id) => context.reader.series(id)),
  ];
}

function viewTypeFor(view: CustomViewDeclaration): ViewType {
  if (view.kind === 'table') return 'table';
  if (view.kind === 'metric') return 'metric_card';
  return 'chart';
}
