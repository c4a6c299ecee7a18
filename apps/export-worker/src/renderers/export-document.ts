import { MISSING_VALUE_TEXT, formatValue } from '@amc-reports/charts';
import type { ChartRow, ValueFormat } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView, DashboardType } from '@amc-reports/contracts/src/dashboard-view';

/** What every renderer draws from: the report's identity, its built views and the latest insights. */
export interface ExportDocument {
  report: ExportReportMeta;
  views: BuiltView[];
  insights: ExportInsight[];
}

export interface ExportReportMeta {
  id: string;
  name: string;
  workflowName: string;
  dashboardType: DashboardType;
  /** ISO 8601 timestamps. */
  timeWindowStart: string;
  timeWindowEnd: string;
  generatedAt: string;
}

export interface ExportInsight {
  insightType: string;
  text: string;
  /** 0..1, two decimals (DESIGN §7). */
  confidenceScore: number;
}

export type ExportFormat = 'pdf' | 'png' | 'csv' | 'excel';

/** A rectangle in output pixels (PNG) where a view was drawn. */
export interface PixelArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One chart the renderer drew, as evidence for `verifyExport`. */
export interface DrawnChart {
  viewKey: string;
  title: string;
  /** Rows the view had; a chart with rows but no drawn data elements is blank. */
  sourceRows: number;
  /** Finite numbers among the rows' series fields: what the chart had to plot. */
  plottedValues: number;
  /** Series elements (bars, lines, slices, funnel stages) in the chart's SVG. */
  dataElements: number;
  /** PNG only: where the chart plots its data in the image (legend strip excluded). */
  area?: PixelArea;
}

export interface SheetSummary {
  name: string;
  kind: 'report' | 'view' | 'insights' | 'raw';
  /** Data rows, header excluded. */
  rowCount: number;
}

/** What a renderer reports about the file it wrote; `verifyExport` checks the file against it. */
export interface RenderSummary {
  format: ExportFormat;
  chartCount: number;
  /** Data rows written (CSV / Excel: every exported row; PDF: table rows; PNG: 0). */
  rowCount: number;
  pageCount?: number;
  sheetCount?: number;
  charts: DrawnChart[];
  sheets?: SheetSummary[];
  /** CSV: titled sections (dashboard scope with several views); 0 means one plain table. */
  sections?: number;
  width?: number;
  height?: number;
  /** PNG: characters drawn as the font's .notdef box; the export check wants none. */
  missingGlyphs?: number;
}

/** Raised for a request that can never succeed (e.g. a view key the report does not have). */
export class ExportInputError extends Error {
  override name = 'ExportInputError';
}

/** The views to export, in dashboard order; one view when `viewKey` is given. */
export function selectViews(doc: ExportDocument, viewKey?: string): BuiltView[] {
  const views = [...doc.views].sort((a, b) => a.position - b.position);
  if (viewKey === undefined) return views;
  const view = views.find((candidate) => candidate.key === viewKey);
  if (!view) throw new ExportInputError(`report ${doc.report.id} has no view "${viewKey}"`);
  return [view];
}

/** Views whose rows are data (insight views carry no rows of their own). */
export function isDataView(view: BuiltView): boolean {
  return view.viewType !== 'insight';
}

export type ViewPresentation = 'chart' | 'table' | 'metric' | 'insight';

/**
 * How PDF and PNG draw a view. The view type decides, except that a chart view whose spec is a
 * table or a metric (libs/charts gives those no series) is drawn as one, never as an empty chart.
 */
export function viewPresentation(view: BuiltView): ViewPresentation {
  if (view.viewType === 'insight') return 'insight';
  if (view.viewType === 'metric_card' || view.chart.kind === 'metric') return 'metric';
  if (view.viewType === 'table' || view.chart.kind === 'table') return 'table';
  return 'chart';
}

export function viewsDrawnAs(views: BuiltView[], presentation: ViewPresentation): BuiltView[] {
  return views.filter((view) => viewPresentation(view) === presentation);
}

export interface ViewColumn {
  field: string;
  label: string;
  format?: ValueFormat;
  /** ISO 4217 code of the view's money (its chart spec's). */
  currency?: string;
  /** The metric-catalogue id the column shows, when it is one. */
  metric?: string;
}

/**
 * The columns a view exports: the x field, then each series, then any other field the rows hold
 * (a funnel row's drop-off, a table's extra dimensions), so a tabular export never loses data.
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
  if (spec.x) add({ field: spec.x.field, label: spec.x.label ?? spec.x.field });
  for (const series of spec.series) {
    add({ field: series.field, label: series.label, format: series.format ?? spec.format, currency: spec.currency, ...(series.metric ? { metric: series.metric } : {}) });
  }
  for (const row of view.data.rows) for (const field of Object.keys(row)) add({ field, label: field });
  return columns;
}

export function cellValue(row: ChartRow, column: ViewColumn): string | number | boolean | null {
  return row[column.field] ?? null;
}

/** A cell as display text (PDF and PNG tables): numbers in the column's format, text on one line. */
export function formatCell(value: string | number | boolean | null, column: ViewColumn): string {
  if (value === null) return MISSING_VALUE_TEXT;
  if (typeof value === 'number') return formatValue(value, column.format, { currency: column.currency });
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value.replace(/\s+/g, ' ').trim();
}

/** "2025-11-01 – 2025-11-07" from the execution's time window (UTC dates, as AMC reports them). */
export function formatTimeWindow(report: ExportReportMeta): string {
  return `${formatDate(report.timeWindowStart)} – ${formatDate(report.timeWindowEnd)}`;
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().slice(0, 10);
}

export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The formulas of the numbers a view shows (its `data.formulas`, written by the metric layer), in
 * column order: the PDF's footnote under the view.
 */
export function viewFormulas(view: BuiltView): string[] {
  const formulas = view.data.formulas ?? {};
  // The numbers the view shows: its series, and the metrics of its rows (a funnel's stages and steps).
  const rowMetrics = view.data.rows.map((row) => row.metric).filter((metric): metric is string => typeof metric === 'string');
  const fields = [...view.chart.series.map((series) => series.field), ...rowMetrics];
  return [...new Set(fields)].filter((field) => formulas[field] !== undefined && !isPlainSum(formulas[field])).map((field) => formulas[field]);
}

/** "Clicks = sum of clicks": a volume read from one column as it is says nothing a footnote needs to. */
export function isPlainSum(formula: string): boolean {
  return /^[^=÷]+ = sum of [\w]+$/.test(formula);
}

export function formatConfidence(score: number): string {
  return `${Math.round(score * 100)}%`;
}
