import { MISSING_VALUE_TEXT, formatValue } from '@amc-reports/charts';
import type { ChartRow, ValueFormat } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { findMetric, formatForUnit, humanizeColumn, type MetricUnit } from '@amc-reports/metrics';

/** What a cell of an exported column holds: decides its precision (CSV), its number format (Excel) and its alignment. */
export type ColumnKind = 'count' | 'currency' | 'percent' | 'ratio' | 'number' | 'date' | 'text';

export interface ViewColumn {
  field: string;
  /** What a reader sees: the metric layer's label, never a field name. */
  label: string;
  format?: ValueFormat;
  /** ISO 4217 code of the view's money (its chart spec's). */
  currency?: string;
  /** The metric-catalogue id the column shows, when it is one. */
  metric?: string;
  kind: ColumnKind;
}

/**
 * Fields the builders put in rows for the page and the insight worker, not for a reader: the
 * execution behind a history point, a stage's metric id, the period of a card row. Withheld rows
 * are stated in the view's note; a table that shows them per row has them as a series.
 */
const INTERNAL_FIELDS = new Set(['executionId', 'filteredRowCount', 'metric', 'period', 'window']);

/** Row fields the builders add beside their series, with the label and unit a reader needs. */
const ROW_FIELDS: Record<string, { label: string; format: ValueFormat; kind: ColumnKind }> = {
  rateFromPrevious: { label: 'Rate from the previous stage', format: 'percent', kind: 'percent' },
  rateFromFirst: { label: 'Rate from the first stage', format: 'percent', kind: 'percent' },
  dropOff: { label: 'Drop-off', format: 'number', kind: 'count' },
  dropOffRate: { label: 'Drop-off rate', format: 'percent', kind: 'percent' },
  shareOfReach: { label: 'Share of reach', format: 'percent', kind: 'percent' },
  cumulativeShareOfReach: { label: 'Cumulative share of reach', format: 'percent', kind: 'percent' },
  indexVsAll: { label: "Index vs all groups (rate ÷ all groups' rate)", format: 'ratio', kind: 'ratio' },
  upliftVsSingleChannel: { label: 'Uplift vs single-channel groups', format: 'percent', kind: 'percent' },
  share: { label: 'Share', format: 'percent', kind: 'percent' },
  steps: { label: 'Steps', format: 'integer', kind: 'count' },
  channels: { label: 'Channels', format: 'integer', kind: 'count' },
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+Z?)?$/;

/** "adGroupName" → "Ad group name", "campaign_name" → "Campaign name": a field no metric names, as words. */
export function fieldLabel(field: string): string {
  const words = field.replace(/([a-z\d])([A-Z])/g, '$1 $2').replace(/[_\s]+/g, ' ').trim().toLowerCase();
  return humanizeColumn(words);
}

function kindOfUnit(unit: MetricUnit): ColumnKind {
  return unit;
}

function kindOfFormat(format: ValueFormat | undefined): ColumnKind {
  if (format === 'integer') return 'count';
  return format ?? 'number';
}

/**
 * The columns a reader gets from a view: the x field, each series, then the other data fields of
 * its rows (a funnel row's drop-off, a row's other metrics) under their metric-layer labels, so a
 * tabular export loses no number; internal fields stay out.
 */
export function viewColumns(view: BuiltView): ViewColumn[] {
  const columns: ViewColumn[] = [];
  const seen = new Set<string>();
  const add = (column: ViewColumn) => {
    if (seen.has(column.field)) return;
    seen.add(column.field);
    columns.push(column);
  };
  const spec = view.chart;
  const rows = view.data.rows;
  if (spec.x) {
    const dates = spec.x.type === 'time' || (rows.length > 0 && rows.every((row) => typeof row[spec.x!.field] === 'string' && ISO_DATE.test(String(row[spec.x!.field]))));
    add({ field: spec.x.field, label: spec.x.label ?? fieldLabel(spec.x.field), kind: dates ? 'date' : 'text' });
  }
  for (const series of spec.series) {
    const format = series.format ?? spec.format;
    const metric = series.metric ?? (findMetric(series.field) ? series.field : undefined);
    const unit = metric ? findMetric(metric)?.unit : undefined;
    const textual = format === undefined && rows.some((row) => typeof row[series.field] === 'string');
    add({
      field: series.field, label: series.label, format, currency: spec.currency, ...(metric ? { metric } : {}),
      kind: textual ? 'text' : unit ? kindOfUnit(unit) : kindOfFormat(format),
    });
  }
  for (const row of rows) {
    for (const field of Object.keys(row)) {
      if (seen.has(field) || INTERNAL_FIELDS.has(field)) continue;
      add(extraColumn(field, rows, spec.currency));
    }
  }
  return columns;
}

function extraColumn(field: string, rows: readonly ChartRow[], currency: string | undefined): ViewColumn {
  const metric = findMetric(field);
  if (metric) return { field, label: metric.label, format: formatForUnit(metric.unit), currency, metric: metric.id, kind: kindOfUnit(metric.unit) };
  const known = ROW_FIELDS[field];
  if (known) return { field, ...known };
  const numeric = rows.every((row) => row[field] === null || row[field] === undefined || typeof row[field] === 'number');
  return numeric ? { field, label: fieldLabel(field), format: 'number', kind: 'number' } : { field, label: fieldLabel(field), kind: 'text' };
}

/** Whether a column holds numbers (right-aligned, never cut) rather than names. */
export function isNumericColumn(column: ViewColumn): boolean {
  return column.kind !== 'text' && column.kind !== 'date';
}

export function cellValue(row: ChartRow, column: ViewColumn): string | number | boolean | null {
  return row[column.field] ?? null;
}

/** A cell as display text (PDF and PNG tables): numbers in the column's format, text on one line. */
export function formatCell(value: string | number | boolean | null, column: Pick<ViewColumn, 'format' | 'currency'>): string {
  if (value === null) return MISSING_VALUE_TEXT;
  if (typeof value === 'number') return formatValue(value, column.format, { currency: column.currency });
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value.replace(/\s+/g, ' ').trim();
}
