import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { spreadsheetNumberFormat } from '@amc-reports/metrics';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import { type ExportDocument, type RenderSummary, type SheetSummary, formatConfidence, isDataView, selectViews, windowDaysOf } from './export-document';
import { collectMetricCards } from './metric-cards';
import { neutraliseText } from './neutralise-cell';
import { rasteriseLogo } from './logo-raster';
import { isoDate, tabularView } from './tabular-view';
import { type ViewColumn, cellValue, formatCell } from './view-columns';
import { uniqueSheetName } from './excel-sheet-names';

export interface DashboardExcelOptions {
  /** One view's sheet (plus the summary and contents); every view when absent. */
  viewKey?: string;
}

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1E2A44' } },
  alignment: { vertical: 'middle', wrapText: true },
  border: { bottom: { style: 'thin', color: { argb: 'FF3B5BDB' } } },
};
const DATE_FORMAT = 'yyyy-mm-dd';
const TIMESTAMP_FORMAT = 'yyyy-mm-dd hh:mm "UTC"';
/** Column widths are fitted to this many rows: enough for a top-N table, cheap for a long one. */
const FITTED_ROWS = 500;

/** Text for a cell: neutralised (formula injection), CR / CRLF as LF (what XML readers make of a CR anyway). */
function sheetText(text: string): string {
  const neutralised = neutraliseText(text);
  return neutralised.includes('\r') ? neutralised.replace(/\r\n?/g, '\n') : neutralised;
}

function utcDate(iso: string): Date | undefined {
  const text = isoDate(iso);
  if (text === undefined) return undefined;
  return new Date(text.length === 10 ? `${text}T00:00:00Z` : text);
}

/** A view's cell as a spreadsheet value: numbers stay numbers, dates are dates, text is neutralised. */
function sheetCell(value: string | number | boolean | null, column: ViewColumn): ExcelJS.CellValue {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (column.kind === 'date' && typeof value === 'string') return utcDate(value) ?? sheetText(value);
  return typeof value === 'string' ? sheetText(value) : value;
}

function numberFormatOf(column: ViewColumn): string | undefined {
  switch (column.kind) {
    case 'date':
      return DATE_FORMAT;
    case 'text':
      return undefined;
    case 'number':
      return column.format === 'integer' ? spreadsheetNumberFormat('count') : spreadsheetNumberFormat(column.format, column.currency);
    default:
      return spreadsheetNumberFormat(column.kind, column.currency);
  }
}

/** Width in characters: the longest header line or shown value (as the reader sees it formatted), 8 to 60. */
function fittedWidth(column: ViewColumn, rows: readonly Record<string, unknown>[]): number {
  let widest = Math.max(...column.label.split(/\s+/).map((word) => word.length), Math.ceil(column.label.length / 2));
  for (const row of rows.slice(0, FITTED_ROWS)) {
    const value = cellValue(row as never, column);
    const shown = column.kind === 'date' && typeof value === 'string' ? (isoDate(value) ?? value) : formatCell(value, column);
    widest = Math.max(widest, Array.from(shown).length);
  }
  return Math.min(60, Math.max(8, widest + 2));
}

function tableSheet(workbook: ExcelJS.Workbook, name: string, headers: string[], widths: number[], formats: Array<string | undefined>): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((_, index) => ({ width: widths[index], style: formats[index] ? { numFmt: formats[index] } : {} }));
  const header = sheet.addRow(headers.map(sheetText));
  header.height = 32;
  header.eachCell((cell) => (cell.style = HEADER_STYLE));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, headers.length) } };
  return sheet;
}

/**
 * The dashboard as a workbook a client can work in: a Summary cover (branding, report, window,
 * execution, key metrics as numbers with their formats, insights with their confidence), a
 * Contents sheet linking every sheet to the view it holds (sheet names are cut at 31 characters,
 * the contents keep the full name), one sheet per view (real dates, integer counts, currency and
 * percent formats from the metric layer, fitted widths, frozen header, autofilter) and a History
 * sheet with one row per execution. Built in memory: a dashboard's views are top-N tables.
 */
export async function renderDashboardExcel(doc: ExportDocument, out: Writable, options: DashboardExcelOptions): Promise<RenderSummary> {
  try {
    const workbook = new ExcelJS.Workbook();
    workbook.creator = 'amc-reports';
    workbook.created = new Date(doc.report.generatedAt);
    const views = selectViews(doc, options.viewKey).filter(isDataView);
    const names = new Set<string>();
    const summaryName = uniqueSheetName('Summary', names);
    const contentsName = uniqueSheetName('Contents', names);
    const viewNames = views.map((view) => uniqueSheetName(view.name, names));
    const historyName = uniqueSheetName('Execution history', names);

    const summary = await writeSummary(workbook, summaryName, doc, selectViews(doc));
    const contents = tableSheet(workbook, contentsName, ['Sheet', 'Holds', 'Rows'], [34, 70, 10], [undefined, undefined, '#,##0']);
    const sheets: SheetSummary[] = [summary];
    const listed: Array<[string, string, number]> = [[summaryName, 'The report, its window, key metrics and insights', summary.rowCount], [historyName, 'One row per execution of the workflow', doc.history?.length ?? 0]];
    let rowCount = 0;
    views.forEach((view, index) => {
      const rows = writeViewSheet(workbook, viewNames[index], view);
      sheets.push({ name: viewNames[index], kind: 'view', rowCount: rows });
      listed.splice(listed.length - 1, 0, [viewNames[index], view.name, rows]);
      rowCount += rows;
    });
    for (const [sheetName, holds, rows] of listed) {
      contents.addRow([{ text: sheetName, hyperlink: `#'${sheetName.replace(/'/g, "''")}'!A1` }, sheetText(holds), rows]).getCell(1).font = { color: { argb: 'FF3B5BDB' }, underline: true };
    }
    sheets.splice(1, 0, { name: contentsName, kind: 'contents', rowCount: listed.length });
    sheets.push({ name: historyName, kind: 'history', rowCount: writeHistory(workbook, historyName, doc) });
    // jszip deflates in JavaScript: level 1 is most of the size gain for a fraction of level 6's time.
    await workbook.xlsx.write(out, { zip: { compression: 'DEFLATE', compressionOptions: { level: 1 } } } as ExcelJS.XlsxWriteOptions);
    out.end();
    await new Promise<void>((resolve, reject) => (out.writableFinished ? resolve() : out.once('finish', resolve).once('error', reject)));
    return { format: 'excel', chartCount: 0, rowCount, sheetCount: sheets.length, sheets, charts: [] };
  } catch (error) {
    out.destroy();
    throw error;
  }
}

function writeViewSheet(workbook: ExcelJS.Workbook, name: string, view: BuiltView): number {
  const table = tabularView(view);
  const sheet = tableSheet(
    workbook, name, table.columns.map((column) => column.label), table.columns.map((column) => fittedWidth(column, table.rows)), table.columns.map(numberFormatOf),
  );
  for (const row of table.rows) sheet.addRow(table.columns.map((column) => sheetCell(cellValue(row, column), column)));
  return table.rows.length;
}

function writeHistory(workbook: ExcelJS.Workbook, name: string, doc: ExportDocument): number {
  const sheet = tableSheet(
    workbook, name, ['Execution', 'Status', 'Window start', 'Window end', 'Completed at', 'Result rows', 'Exported'],
    [38, 12, 13, 13, 20, 12, 10], [undefined, undefined, DATE_FORMAT, DATE_FORMAT, TIMESTAMP_FORMAT, '#,##0', undefined],
  );
  const history = doc.history ?? [];
  for (const execution of history) {
    // The days the window covers (its end is exclusive), as the dashboard states them.
    const days = windowDaysOf(execution);
    sheet.addRow([
      execution.executionId, execution.status, utcDate(days.first), utcDate(days.last),
      execution.completedAt ? new Date(execution.completedAt) : null, execution.rowCount, execution.executionId === doc.report.executionId ? 'this one' : '',
    ]);
  }
  return history.length;
}

/** The cover: no header row (verification counts every row of it). */
async function writeSummary(workbook: ExcelJS.Workbook, name: string, doc: ExportDocument, views: BuiltView[]): Promise<SheetSummary> {
  const sheet = workbook.addWorksheet(name, { views: [{ showGridLines: false }] });
  sheet.columns = [{ width: 34 }, { width: 90 }, { width: 14 }];
  const accent = (doc.branding?.accentColor ?? '#3b5bdb').replace('#', 'FF').toUpperCase();
  const logo = doc.branding?.logo ? await rasteriseLogo(doc.branding.logo) : undefined;
  // The title stays in row 1 (the check counts every row of this sheet); the logo sits at the top right.
  const top = 1;
  if (logo) {
    const image = workbook.addImage({ buffer: logo.png as unknown as ExcelJS.Buffer, extension: 'png' });
    sheet.addImage(image, { tl: { col: 2.1, row: 0 }, ext: { width: logo.width, height: logo.height } });
    sheet.getColumn(3).width = Math.max(14, Math.ceil(logo.width / 7));
  }
  const title = sheet.getRow(top);
  title.values = [sheetText(doc.branding?.coverTitle ?? doc.report.name)];
  title.font = { bold: true, size: 18, color: { argb: accent } };
  title.height = 28;
  let next = top + 1;
  const line = (values: ExcelJS.CellValue[], style?: (row: ExcelJS.Row) => void) => {
    const row = sheet.getRow(next++);
    row.values = values;
    style?.(row);
    return row;
  };
  const label = (row: ExcelJS.Row) => (row.getCell(1).font = { bold: true });
  const heading = (row: ExcelJS.Row) => (row.font = { bold: true, size: 13, color: { argb: accent } });
  line(['Report', sheetText(doc.report.name)], label);
  line(['Workflow', sheetText(doc.report.workflowName)], label);
  line(['Dashboard', doc.report.dashboardType], label);
  const days = windowDaysOf(doc.report);
  line(['Window start', utcDate(days.first) ?? null], (row) => (label(row), (row.getCell(2).numFmt = DATE_FORMAT)));
  line(['Window end', utcDate(days.last) ?? null], (row) => (label(row), (row.getCell(2).numFmt = DATE_FORMAT)));
  line(['Execution', doc.report.executionId ?? ''], label);
  line(['Generated', new Date(doc.report.generatedAt)], (row) => (label(row), (row.getCell(2).numFmt = TIMESTAMP_FORMAT)));
  next += 1;
  line(['Key metrics'], heading);
  for (const card of collectMetricCards(views)) {
    const row = line([sheetText(card.label), card.raw ?? (card.value === '—' ? null : sheetText(card.value))]);
    if (card.raw !== undefined && card.format) row.getCell(2).numFmt = card.format === 'integer' ? '#,##0' : spreadsheetNumberFormat(card.format, card.currency);
    row.getCell(2).alignment = { horizontal: 'left' };
  }
  next += 1;
  line(['Insights', '', 'Confidence'], heading);
  if (doc.insights.length === 0) line(["No insight of this execution reaches the report's minimum confidence."]);
  for (const insight of doc.insights) {
    const row = line([insight.insightType, sheetText(insight.text), insight.confidenceScore]);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(3).numFmt = '0%';
    row.getCell(3).note = `Confidence ${formatConfidence(insight.confidenceScore)}: statistical strength × number verification`;
  }
  if (doc.branding?.footerText) {
    next += 1;
    line([sheetText(doc.branding.footerText)], (row) => (row.font = { italic: true, color: { argb: 'FF5F6673' } }));
  }
  return { name, kind: 'report', rowCount: sheet.actualRowCount };
}
