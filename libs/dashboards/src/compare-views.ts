import type { ChartRow, ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView, ViewComparison } from '@amc-reports/contracts/src/dashboard-view';
import { cleanFloat, relativeChange } from '@amc-reports/metrics';
import type { Day } from './time-window';
import { daysBetween } from './time-window';

export interface ComparedWindows {
  /** "2026-11-23 – 2026-11-29" and the first day of each: daily rows are matched by their day in the window. */
  shown: { range: string; first: Day };
  compared: { range: string; first: Day };
  comparison: ViewComparison;
}

/** Fields that are no quantity of the window (a count of withheld rows is not compared). */
const NOT_COMPARED = new Set(['filteredRowCount', 'channels']);
/** Kinds whose drawing holds one series (or stacks them): the compared values go to the table only. */
const TABLE_ONLY = new Set(['pie', 'funnel', 'stacked-bar', 'scatter']);

const asNumber = (value: ChartRow[string] | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * Tables and charts of the shown window beside the compared one: for each numeric column its value
 * there (`<field>.previous`), Δ (`.delta`, in percentage points for rates) and Δ % (`.deltaPct`,
 * the metric layer's relative change). Rows are matched by their category (a campaign, a stage) or,
 * for days, by the day's place in the window (day 1 with day 1). Both windows are named in labels
 * and notes. Cards compare in the builders; history charts already span both windows.
 */
export function compareViews(views: readonly BuiltView[], baseline: readonly BuiltView[], windows: ComparedWindows): BuiltView[] {
  const byKey = new Map(baseline.map((view) => [view.key, view]));
  return views.map((view) => {
    const stated = {
      ...view,
      data: { ...view.data, window: { latest: windows.shown.range, previous: windows.compared.range }, comparison: windows.comparison },
    };
    const x = view.chart.x;
    if (view.viewType === 'metric_card' || !x || x.field === 'window') return stated;
    const before = byKey.get(view.key);
    if (!before) {
      return { ...stated, data: { ...stated.data, notes: [...(view.data.notes ?? []), `${windows.compared.range} has no such view to compare with`] } };
    }
    const keyOf = (row: ChartRow, first: Day) =>
      x.type === 'time' && typeof row[x.field] === 'string' ? `day ${daysBetween(first, String(row[x.field]).slice(0, 10))}` : String(row[x.field]);
    const previousRows = new Map(before.data.rows.map((row) => [keyOf(row, windows.compared.first), row]));
    const numeric = view.chart.series.filter((series) => series.format !== undefined && !NOT_COMPARED.has(series.field));
    const rows = view.data.rows.map((row) => {
      const previous = previousRows.get(keyOf(row, windows.shown.first));
      const compared: ChartRow = { ...row };
      for (const series of numeric) {
        const now = asNumber(row[series.field]);
        const then = asNumber(previous?.[series.field]);
        compared[`${series.field}.previous`] = then;
        compared[`${series.field}.delta`] = now !== null && then !== null ? cleanFloat(now - then) : null;
        compared[`${series.field}.deltaPct`] = relativeChange(now, then);
      }
      return compared;
    });
    const previousSeries = (series: ChartSeries): ChartSeries => ({
      field: `${series.field}.previous`, label: `${series.label} (${windows.compared.range})`, format: series.format,
      ...(series.secondaryAxis ? { secondaryAxis: true } : {}),
    });
    const deltaSeries = (series: ChartSeries): ChartSeries[] => [
      { field: `${series.field}.delta`, label: `Δ ${series.label}${series.format === 'percent' ? ' (pp)' : ''}`, format: series.format },
      { field: `${series.field}.deltaPct`, label: `Δ % ${series.label}`, format: 'percent' },
    ];
    const note = `compared with ${windows.compared.range}: Δ = ${windows.shown.range} − ${windows.compared.range} (rates in percentage points); Δ % = Δ ÷ ${windows.compared.range}`;
    const unmatched = view.data.rows.filter((row) => !previousRows.has(keyOf(row, windows.shown.first))).length;
    const notes = [...(view.data.notes ?? []), note, ...(unmatched > 0 ? [`${unmatched} of ${view.data.rows.length} rows have no counterpart in ${windows.compared.range}`] : [])];
    if (view.viewType === 'table' || view.chart.kind === 'table') {
      const series = view.chart.series.flatMap((entry) => (numeric.includes(entry) ? [entry, previousSeries(entry), ...deltaSeries(entry)] : [entry]));
      return { ...stated, chart: { ...view.chart, series }, data: { ...stated.data, rows, notes } };
    }
    const drawn = TABLE_ONLY.has(view.chart.kind) ? [] : numeric.map(previousSeries);
    const tableOnly = [...(TABLE_ONLY.has(view.chart.kind) ? numeric.map(previousSeries) : []), ...numeric.flatMap(deltaSeries)];
    return {
      ...stated,
      chart: { ...view.chart, series: [...view.chart.series, ...drawn] },
      data: { ...stated.data, rows, notes, comparisonFields: tableOnly.map(({ field, label, format }) => ({ field, label, ...(format ? { format } : {}) })) },
    };
  });
}
