import type { BuiltView, DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { windowDays } from '@amc-reports/dashboards/src/time-window';

export { type ColumnKind, type ViewColumn, cellValue, formatCell, isNumericColumn, viewColumns } from './view-columns';

/** What every renderer draws from: the report's identity, its built views and the latest insights. */
export interface ExportDocument {
  report: ExportReportMeta;
  views: BuiltView[];
  insights: ExportInsight[];
  /** The workflow's executions up to the exported one, oldest first: the Excel history sheet. */
  history?: ExportExecution[];
  /** The organization's branding with the report's overrides: the PDF and PNG cover, the Excel cover. */
  branding?: ExportBranding;
  /** export_settings.pdf: paper and orientation (auto: landscape when a table needs it). */
  page?: PageSettings;
}

export interface ExportExecution {
  executionId: string;
  status: string;
  /** ISO 8601 timestamps. */
  timeWindowStart: string;
  timeWindowEnd: string;
  /** The zone the window's days are read in (AMC's, on the event); UTC when absent. */
  timeZone?: string | null;
  completedAt: string | null;
  rowCount: number | null;
}

export interface ExportLogo {
  contentType: 'image/png' | 'image/svg+xml';
  data: Buffer;
}

export interface ExportBranding {
  /** #rrggbb. */
  accentColor?: string;
  /** Replaces the report name on covers. */
  coverTitle?: string;
  /** Printed at the foot of every PDF page and under the PNG. */
  footerText?: string;
  logo?: ExportLogo;
}

export type PageOrientation = 'auto' | 'portrait' | 'landscape';
export type PageSize = 'A4' | 'Letter';

export interface PageSettings {
  orientation: PageOrientation;
  pageSize: PageSize;
}

export interface ExportReportMeta {
  id: string;
  name: string;
  workflowName: string;
  dashboardType: DashboardType;
  /** ISO 8601 timestamps. */
  timeWindowStart: string;
  timeWindowEnd: string;
  /** The zone the window's days are read in (AMC's, on the event); UTC when absent. */
  timeZone?: string | null;
  generatedAt: string;
  /** The execution whose views the document shows. */
  executionId?: string;
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
  kind: 'report' | 'contents' | 'view' | 'history' | 'insights' | 'raw';
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
  /** CSV: titled sections (no longer written; kept 0 for one plain table). */
  sections?: number;
  /** CSV of the whole dashboard: the ZIP's CSV files and the data rows each holds. */
  files?: Array<{ name: string; rows: number }>;
  width?: number;
  height?: number;
  /** PNG: characters drawn as the font's .notdef box; the export check wants none. */
  missingGlyphs?: number;
  /** PDF and PNG: the numeric table cells as drawn, which the export check compares with the source's. */
  numbersDrawn?: string[];
  /** PDF: the paper, the orientation chosen and the column groups of its tables (one per table that fits). */
  page?: { size: PageSize; orientation: 'portrait' | 'landscape'; tableGroups: number };
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

/** "2025-11-01 – 2025-11-07" from the execution's time window (UTC dates, as AMC reports them). */
/**
 * "2026-09-28 – 2026-10-04": the days the window covers in its zone, its end exclusive (AMC's
 * windows end at the next midnight), the same words as the dashboard's (libs/dashboards).
 */
export function formatTimeWindow(window: Pick<ExportReportMeta, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>): string {
  const { first, last } = windowDaysOf(window);
  return `${first} – ${last}`;
}

/** The first and last day a window covers (end exclusive, in its zone). */
export function windowDaysOf(window: Pick<ExportReportMeta, 'timeWindowStart' | 'timeWindowEnd' | 'timeZone'>): { first: string; last: string } {
  if (Number.isNaN(Date.parse(window.timeWindowStart)) || Number.isNaN(Date.parse(window.timeWindowEnd))) {
    return { first: window.timeWindowStart, last: window.timeWindowEnd };
  }
  return windowDays({ start: window.timeWindowStart, end: window.timeWindowEnd, timeZone: window.timeZone ?? null });
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
