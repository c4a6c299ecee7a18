import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import type { RenderSummary, SheetSummary } from './export-document';
import { uniqueSheetName } from './excel-sheet-names';
import { neutraliseText, parsePlainNumber } from './neutralise-cell';

/** Excel's sheet holds 1,048,576 rows: one header plus this many data rows. */
export const EXCEL_MAX_DATA_ROWS_PER_SHEET = 1_048_575;

export interface RawExcelOptions {
  /** Data rows per sheet before a new one opens (tests use a small number). */
  maxRowsPerSheet?: number;
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

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

export { renderDashboardExcel, type DashboardExcelOptions } from './excel-dashboard';
export { uniqueSheetName };
