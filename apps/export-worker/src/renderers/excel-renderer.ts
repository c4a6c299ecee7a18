import type { ValueFormat } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import {
  type ExportDocument,
  type RenderSummary,
  type SheetSummary,
  cellValue,
  formatTimestamp,
  formatTimeWindow,
  isDataView,
  selectViews,
  viewColumns,
} from './export-document';
import { neutraliseText, parsePlainNumber } from './neutralise-cell';

/** Excel's sheet holds 1,048,576 rows: one header plus this many data rows. */
export const EXCEL_MAX_DATA_ROWS_PER_SHEET = 1_048_575;

export interface DashboardExcelOptions {
  /** One view's sheet (plus the report sheet); every view and the insights when absent. */
  viewKey?: string;
}

export interface RawExcelOptions {
  /** Data rows per sheet before a new one opens (tests use a small number). */
  maxRowsPerSheet?: number;
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

const NUMBER_FORMATS: Record<ValueFormat, string> = {
  integer: '#,##0',
  number: '#,##0.00',
  currency: '$#,##0.00',
  percent: '0.00%',
  ratio: '0.00',
};

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true, color: { argb: 'FFFFFFFF' } },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1E2A44' } },
  alignment: { vertical: 'middle' },
  border: { bottom: { style: 'thin', color: { argb: 'FF3B5BDB' } } },
};

/**
 * Text for a cell: neutralised first (a leading CR is a formula trigger), then CR / CRLF become LF,
 * because XML parsers (Excel's included) turn a raw CR into LF anyway; written out, it is explicit.
 */
function sheetText(text: string): string {
  const neutralised = neutraliseText(text);
  return neutralised.includes('\r') ? neutralised.replace(/\r\n?/g, '\n') : neutralised;
}

function sheetValue(value: string | number | boolean | null): string | number | boolean | null {
  return typeof value === 'string' ? sheetText(value) : value;
}

type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;
type WorksheetWriter = ExcelJS.Worksheet;

function openWorkbook(out: Writable): WorkbookWriter {
  // Shared strings would keep every distinct string in memory until the end; inline strings stream.
  return new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
}

/** A sheet with a styled, frozen, filterable header row. */
function addTableSheet(workbook: WorkbookWriter, name: string, headers: string[], columns: Array<Partial<ExcelJS.Column>>): WorksheetWriter {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns;
  const header = sheet.addRow(headers.map(sheetText));
  header.height = 20;
  header.eachCell((cell) => (cell.style = HEADER_STYLE));
  header.commit();
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, headers.length) } };
  return sheet;
}

/**
 * The dashboard as a workbook: a Report sheet (name, workflow, window, generation time), one
 * sheet per view with per-series number formats, and an Insights sheet. Text is neutralised
 * against formula injection; numbers stay numbers (a -5 is the number -5, formatted).
 */
export async function renderDashboardExcel(doc: ExportDocument, out: Writable, options: DashboardExcelOptions): Promise<RenderSummary> {
  return destroyOnFailure(out, () => writeDashboardWorkbook(doc, out, options));
}

async function writeDashboardWorkbook(doc: ExportDocument, out: Writable, options: DashboardExcelOptions): Promise<RenderSummary> {
  const workbook = openWorkbook(out);
  workbook.creator = 'amc-reports';
  workbook.created = new Date(doc.report.generatedAt);
  const views = selectViews(doc, options.viewKey);
  const sheets: SheetSummary[] = [];
  const names = new Set<string>();

  const report = workbook.addWorksheet(uniqueSheetName('Report', names));
  report.columns = [{ width: 16 }, { width: 60 }];
  const details: Array<[string, string]> = [
    ['Report', doc.report.name],
    ['Workflow', doc.report.workflowName],
    ['Dashboard', doc.report.dashboardType],
    ['Time window', formatTimeWindow(doc.report)],
    ['Generated', formatTimestamp(doc.report.generatedAt)],
  ];
  for (const [label, value] of details) {
    const row = report.addRow([label, sheetText(value)]);
    row.getCell(1).font = { bold: true };
    row.commit();
  }
  report.commit();
  sheets.push({ name: report.name, kind: 'report', rowCount: details.length });

  let rowCount = 0;
  for (const view of views.filter(isDataView)) {
    rowCount += writeViewSheet(workbook, view, names, sheets);
  }
  const withInsights = options.viewKey === undefined || views.some((view) => view.viewType === 'insight');
  if (withInsights) {
    const sheet = addTableSheet(workbook, uniqueSheetName('Insights', names), ['Type', 'Insight', 'Confidence'], [
      { width: 16 },
      { width: 100, style: { alignment: { wrapText: true, vertical: 'top' } } },
      { width: 12, style: { numFmt: '0%', alignment: { vertical: 'top' } } },
    ]);
    for (const insight of doc.insights) {
      sheet.addRow([sheetText(insight.insightType), sheetText(insight.text), insight.confidenceScore]).commit();
    }
    sheet.commit();
    sheets.push({ name: sheet.name, kind: 'insights', rowCount: doc.insights.length });
  }
  await workbook.commit();
  return { format: 'excel', chartCount: 0, rowCount, sheetCount: sheets.length, sheets, charts: [] };
}

function writeViewSheet(workbook: WorkbookWriter, view: BuiltView, names: Set<string>, sheets: SheetSummary[]): number {
  const columns = viewColumns(view);
  const sheet = addTableSheet(
    workbook,
    uniqueSheetName(view.name, names),
    columns.map((column) => column.label),
    columns.map((column) => ({
      key: column.field,
      width: columnWidth(column.label, view.data.rows.slice(0, 200).map((row) => row[column.field])),
      style: column.format ? { numFmt: NUMBER_FORMATS[column.format] } : {},
    })),
  );
  for (const row of view.data.rows) {
    sheet.addRow(columns.map((column) => sheetValue(cellValue(row, column)))).commit();
  }
  sheet.commit();
  sheets.push({ name: sheet.name, kind: 'view', rowCount: view.data.rows.length });
  return view.data.rows.length;
}

/**
 * An archived execution result (CSV with a header row) streamed into sheets, a new sheet (with the
 * header again) every `maxRowsPerSheet` data rows. Plain-number text becomes a number cell (unless
 * precision would be lost); other text is neutralised.
 */
export async function renderRawExcel(input: Readable, out: Writable, options: RawExcelOptions): Promise<RenderSummary> {
  const maxRows = options.maxRowsPerSheet ?? EXCEL_MAX_DATA_ROWS_PER_SHEET;
  if (!Number.isInteger(maxRows) || maxRows < 1 || maxRows > EXCEL_MAX_DATA_ROWS_PER_SHEET) {
    throw new RangeError(`maxRowsPerSheet must be 1..${EXCEL_MAX_DATA_ROWS_PER_SHEET}, got ${maxRows}`);
  }
  return destroyOnFailure(out, () => writeRawWorkbook(input, out, maxRows, options));
}

/**
 * A half-written workbook is never committed: the destination is closed and the error rejects the
 * render. (Destroyed without the error, so a caller without an 'error' listener does not crash.)
 */
async function destroyOnFailure(out: Writable, write: () => Promise<RenderSummary>): Promise<RenderSummary> {
  try {
    return await write();
  } catch (error) {
    out.destroy();
    throw error;
  }
}

async function writeRawWorkbook(input: Readable, out: Writable, maxRows: number, options: RawExcelOptions): Promise<RenderSummary> {  const progressEvery = options.progressEvery ?? 50_000;
  const workbook = openWorkbook(out);
  workbook.creator = 'amc-reports';
  const parser = parse({ bom: true, skip_empty_lines: true });
  input.once('error', (error) => parser.destroy(error));
  input.pipe(parser);

  const sheets: SheetSummary[] = [];
  const names = new Set<string>();
  let headers: string[] | undefined;
  let sheet: WorksheetWriter | undefined;
  let sheetRows = 0;
  let rowCount = 0;
  const closeSheet = () => {
    if (!sheet) return;
    sheet.commit();
    sheets.push({ name: sheet.name, kind: 'raw', rowCount: sheetRows });
  };
  const openSheet = (columns: string[]) => {
    const widths = columns.map((name) => ({ width: Math.min(40, Math.max(10, name.length + 4)) }));
    sheet = addTableSheet(workbook, uniqueSheetName(`Result ${sheets.length + 1}`, names), columns, widths);
    sheetRows = 0;
  };

  for await (const record of parser as AsyncIterable<string[]>) {
    if (!headers) {
      headers = record;
      openSheet(headers);
      continue;
    }
    if (sheetRows === maxRows) {
      closeSheet();
      openSheet(headers);
    }
    const values = new Array<string | number>(record.length);
    for (let index = 0; index < record.length; index += 1) {
      const text = record[index];
      values[index] = parsePlainNumber(text) ?? sheetText(text);
    }
    sheet!.addRow(values).commit();
    sheetRows += 1;
    rowCount += 1;
    if (rowCount % progressEvery === 0) options.onProgress?.(rowCount);
    if ((rowCount & 1023) === 0) await keepPaceWithZip(sheet!, out);
  }
  if (!headers) openSheet([]);
  closeSheet();
  await workbook.commit();
  options.onProgress?.(rowCount);
  return { format: 'excel', chartCount: 0, rowCount, sheetCount: sheets.length, sheets, charts: [] };
}

/** Uncompressed sheet XML allowed to wait for the zip deflater before rows stop being added. */
const ZIP_BACKLOG_LIMIT = 8 * 1024 * 1024;

/**
 * exceljs's streaming writer ignores backpressure: rows go into the zip entry's input buffer as
 * fast as they are added, and archiver deflates on the event loop's spare turns, so with a fast
 * source the whole sheet's XML piles up in memory (hundreds of MB for a million rows). This waits
 * while that buffer (exceljs 4.4 internals: the sheet's StreamBuf piped into archiver's
 * PassThrough) or the destination is backed up; without those internals it still yields a turn.
 */
async function keepPaceWithZip(sheet: WorksheetWriter, out: Writable): Promise<void> {
  const entry = (sheet as unknown as { _stream?: { pipes?: Writable[] } })._stream?.pipes?.[0] as (Writable & { _writableState?: { length: number } }) | undefined;
  const backlog = entry?._writableState?.length;
  if (entry && backlog !== undefined && backlog > ZIP_BACKLOG_LIMIT) {
    await once(entry, 'drain');
  } else if (out.writableNeedDrain) {
    await once(out, 'drain');
  } else {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Excel sheet names: at most 31 characters, none of []:*?/\, unique regardless of case. */
export function uniqueSheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').replace(/\s+/g, ' ').trim().slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let suffix = 2; used.has(candidate.toLowerCase()); suffix += 1) {
    candidate = `${base.slice(0, 31 - String(suffix).length - 1)} ${suffix}`;
  }
  used.add(candidate.toLowerCase());
  return candidate;
}

function columnWidth(label: string, sample: unknown[]): number {
  let widest = label.length;
  for (const value of sample) widest = Math.max(widest, typeof value === 'string' ? value.length : typeof value === 'number' ? 12 : 4);
  return Math.min(60, Math.max(10, widest + 2));
}
