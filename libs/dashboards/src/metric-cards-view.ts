import type { ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { headlineMetrics, type MetricDefinition, relativeChange } from '@amc-reports/metrics';
import type { ViewDraft } from './dashboard-build-input';
import {
  contextData,
  contextNotes,
  type DashboardContext,
  filteredRowsNotes,
  previousExecution,
  readerForExecution,
  toHistoryRef,
  viewComparison,
  windowRange,
} from './dashboard-context';

/** A card that is no catalogue metric (e.g. the frequency bucket where the purchase rate peaks). */
export interface ExtraCard {
  series: ChartSeries;
  latest: string | number | null;
  previous: string | number | null;
}

export interface CardsViewOptions {
  key: string;
  name: string;
  metrics: ReadonlyArray<MetricDefinition | string>;
  extraCards?: ExtraCard[];
  notes?: string[];
}

/**
 * Metric cards: the latest execution's values (row `period: latest`) beside the previous usable
 * execution's (`period: previous`), each execution read with its own spend unit, and the windows
 * both cover, so a card never says "no earlier run" while the history has one.
 */
export function buildCardsView<T extends DashboardType>(context: DashboardContext<T>, options: CardsViewOptions): ViewDraft {
  const { reader, profile } = context;
  // The headline metrics always have a card: the summary insight states them, and the two must agree.
  const idOf = (metric: MetricDefinition | string) => (typeof metric === 'string' ? metric : metric.id);
  const listed = new Set(options.metrics.map(idOf));
  const headline = headlineMetrics(context.frame).filter((metric) => !listed.has(metric.id));
  const metrics = [...options.metrics, ...headline].filter((metric) => reader.has(metric));
  const previous = previousExecution(context);
  const latestValues = reader.values(profile.totals, metrics);
  const previousValues = previous ? readerForExecution(context, previous).values(previous.profile.totals, metrics) : null;
  const extras = options.extraCards ?? [];
  const rows: ChartRow[] = [
    { period: 'latest', window: windowRange(context.latest), ...latestValues, ...Object.fromEntries(extras.map((card) => [card.series.field, card.latest])) },
  ];
  if (previous && previousValues) {
    rows.push({
      period: 'previous',
      window: windowRange(previous),
      ...previousValues,
      ...Object.fromEntries(extras.map((card) => [card.series.field, card.previous])),
    });
  }
  const changes = previousValues
    ? Object.fromEntries(Object.keys(latestValues).map((id) => [`${id}Change`, relativeChange(latestValues[id], previousValues[id])]))
    : {};
  const numericExtras = extras.filter((card) => typeof card.latest === 'number' || card.latest === null);
  return {
    key: options.key,
    name: options.name,
    viewType: 'metric_card',
    chart: {
      kind: 'metric',
      title: options.name,
      x: { field: 'period', type: 'category' },
      series: [...metrics.map((metric) => reader.series(metric)), ...extras.map((card) => card.series)],
      currency: context.frame.currency,
    },
    data: {
      rows,
      filteredRowCount: profile.filteredRowCount,
      summary: {
        ...latestValues,
        ...Object.fromEntries(numericExtras.map((card) => [card.series.field, card.latest as number | null])),
        ...changes,
        rowCount: profile.rowCount,
        filteredRowCount: profile.filteredRowCount,
      },
      history: previous ? [toHistoryRef(previous), toHistoryRef(context.latest)] : [toHistoryRef(context.latest)],
      window: { latest: windowRange(context.latest), ...(previous ? { previous: windowRange(previous) } : {}) },
      ...(viewComparison(context) ? { comparison: viewComparison(context) } : {}),
      formulas: reader.formulas(metrics),
      notes: [...(options.notes ?? []), ...contextNotes(context), ...filteredRowsNotes(profile.filteredRowCount)],
      ...contextData(context),
    },
  };
}
