import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type DrawnChart, type ExportDocument, type ExportFormat, type RenderSummary, isDataView, selectViews, viewsDrawnAs } from './export-document';
import { extractPdfText } from './pdf-text';
import { type DecodedPng, decodePng } from './png-decode';
import { PNG_TABLE_ROWS } from './dashboard-svg';
import { comparableText, printableText } from './printable-text';
import { readXlsxSheetRows } from './xlsx-sheet-rows';
import { expectedTableNumbers, findCutNumberInCells, findCutNumberInText } from './verify-numbers';

/** What the file must hold, taken from the source, not from the renderer. */
export interface ExportExpectation {
  format: ExportFormat;
  /** Data rows: the exported views' rows, or the execution's row count for a raw export. */
  rowCount: number;
  /** Charts the spec asks for. */
  charts: Array<{ viewKey: string; title: string; sourceRows: number }>;
  /** Text the document must contain (PDF), as drawn (printableText): report name, view titles, insights. */
  texts: string[];
  /** PDF and PNG: every numeric table cell, formatted from the source; each must be shown in full. */
  numbers: string[];
}

/**
 * How much of the report name the check asks for. The cover cuts a long name with an ellipsis and
 * the footer fits it on one line of 8 pt type, which always holds at least ~50 characters.
 */
export const CHECKED_NAME_GRAPHEMES = 40;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function leadingPart(text: string, count: number): string {
  const parts = Array.from(graphemes.segment(text), (part) => part.segment);
  return parts.length <= count ? text : parts.slice(0, count).join('');
}

export type VerifyResult = { ok: true; details: Record<string, number | string> } | { ok: false; reason: string };

/** The expectation for a dashboard-scope (or single-view) export of `doc`. */
export function expectExport(doc: ExportDocument, format: ExportFormat, viewKey?: string): ExportExpectation {
  const views = selectViews(doc, viewKey);
  const charts = format === 'pdf' || format === 'png' ? viewsDrawnAs(views, 'chart') : [];
  const rowViews = format === 'pdf' ? viewsDrawnAs(views, 'table') : format === 'png' ? [] : views.filter(isDataView);
  const tables = viewsDrawnAs(views, 'table');
  const numbers = format === 'pdf' ? expectedTableNumbers(tables) : format === 'png' ? expectedTableNumbers(tables, viewKey === undefined ? PNG_TABLE_ROWS.dashboard : PNG_TABLE_ROWS.single) : [];
  return {
    format,
    numbers,
    rowCount: rowViews.reduce((sum, view) => sum + view.data.rows.length, 0),
    charts: charts.map((view) => ({ viewKey: view.key, title: view.name, sourceRows: view.data.rows.length })),
    texts:
      format === 'pdf'
        ? [
            leadingPart(printableText(doc.report.name), CHECKED_NAME_GRAPHEMES),
            ...[...charts, ...viewsDrawnAs(views, 'table')].map((view) => printableText(view.name)),
            ...doc.insights.map((insight) => printableText(insight.text)),
          ]
        : [],
  };
}

/** The expectation for a raw export of an execution that returned `rowCount` rows. */
export function expectRawExport(format: 'csv' | 'excel', rowCount: number): ExportExpectation {
  return { format, rowCount, charts: [], texts: [], numbers: [] };
}

/**
 * Checks a rendered file before its export is marked completed: it is non-empty and parses, every
 * chart the spec asks for was drawn with data, and the row counts match the source. A failure
 * comes back with a reason a person can act on; it never throws for a bad file.
 */
export async function verifyExport(file: string | Buffer, summary: RenderSummary, expected: ExportExpectation): Promise<VerifyResult> {
  try {
    const size = typeof file === 'string' ? (await stat(file)).size : file.length;
    if (size === 0) return fail('the file is empty');
    if (summary.format !== expected.format) return fail(`the renderer wrote ${summary.format}, the export asked for ${expected.format}`);
    const chartProblem = checkCharts(summary.charts, expected);
    if (chartProblem) return fail(chartProblem);
    switch (expected.format) {
      case 'pdf':
        return await verifyPdf(typeof file === 'string' ? await readFile(file) : file, summary, expected, size);
      case 'png':
        return verifyPng(typeof file === 'string' ? await readFile(file) : file, summary, expected, size);
      case 'csv':
        return await verifyCsv(file, summary, expected, size);
      case 'excel':
        return await verifyExcel(file, summary, expected, size);
    }
  } catch (error) {
    return fail(`the ${expected.format} file could not be read back: ${(error as Error).message}`);
  }
}

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

function checkCharts(drawn: DrawnChart[], expected: ExportExpectation): string | undefined {
  for (const chart of expected.charts) {
    const found = drawn.find((candidate) => candidate.viewKey === chart.viewKey);
    if (!found) return `chart "${chart.title}" (${chart.viewKey}) was not drawn`;
    if (chart.sourceRows === 0) continue;
    if (found.plottedValues === 0) return `chart "${chart.title}" (${chart.viewKey}) is blank: its ${chart.sourceRows} rows hold no number for any of its series`;
    if (found.dataElements === 0) return `chart "${chart.title}" (${chart.viewKey}) is blank: ${chart.sourceRows} rows but no bar, line, slice or stage was drawn`;
  }
  return undefined;
}

function rowMismatch(what: string, found: number, summary: RenderSummary, expected: ExportExpectation): string | undefined {
  if (summary.rowCount !== expected.rowCount) return `the renderer wrote ${summary.rowCount} rows, the source has ${expected.rowCount}`;
  if (found !== expected.rowCount) return `${what} holds ${found} data rows, the source has ${expected.rowCount}`;
  return undefined;
}

async function verifyPdf(file: Buffer, summary: RenderSummary, expected: ExportExpectation, size: number): Promise<VerifyResult> {
  if (file.subarray(0, 5).toString('latin1') !== '%PDF-') return fail('not a PDF (no %PDF- header)');
  if (!file.subarray(Math.max(0, file.length - 1024)).toString('latin1').includes('%%EOF')) return fail('the PDF is truncated (no %%EOF trailer)');
  const result = await extractPdfText(file);
  if (summary.pageCount !== undefined && result.total !== summary.pageCount) {
    return fail(`the PDF has ${result.total} pages, the renderer drew ${summary.pageCount}`);
  }
  const extracted = result.pages.join('');
  // A glyph the font does not have is drawn as a .notdef box, which the text layer reads as U+0000.
  const boxes = extracted.split('\u0000').length - 1;
  if (boxes > 0) return fail(`the PDF draws ${boxes} characters its font has no glyph for`);
  const text = comparableText(extracted);
  const missing = expected.texts.find((wanted) => !text.includes(comparableText(wanted)));
  if (missing !== undefined) return fail(`the PDF text lacks "${missing.slice(0, 80)}"`);
  const cut = findCutNumberInText(extracted, expected.numbers);
  if (cut) return fail(`the PDF cuts a number in a table: ${cut}`);
  const problem = rowMismatch('the PDF', summary.rowCount, summary, expected);
  if (problem) return fail(problem);
  return { ok: true, details: { bytes: size, pages: result.total, charts: summary.chartCount, rows: summary.rowCount } };
}

function verifyPng(file: Buffer, summary: RenderSummary, expected: ExportExpectation, size: number): VerifyResult {
  if ((summary.missingGlyphs ?? 0) > 0) return fail(`the PNG draws ${summary.missingGlyphs} characters its font has no glyph for`);
  const cut = findCutNumberInCells(summary.numbersDrawn ?? [], expected.numbers);
  if (cut) return fail(`the PNG cuts a number in a table: ${cut}`);
  const image = decodePng(file);
  if (image.width !== summary.width || image.height !== summary.height) {
    return fail(`the PNG is ${image.width}×${image.height}, the renderer drew ${summary.width}×${summary.height}`);
  }
  for (const chart of summary.charts) {
    if (!chart.area || chart.sourceRows === 0) continue;
    const colored = countColoredPixels(image, chart.area);
    // 0.1% of the area for a chart with many values; a line with one point per series (a report's
    // first execution) draws only its symbols, so the bar is at most ~10 pixels per plotted value.
    // A blank chart has none at all: axes, grid lines and text are grey.
    const needed = Math.max(10, Math.min(Math.round(chart.area.width * chart.area.height * 0.001), chart.plottedValues * 10));
    if (colored < needed) return fail(`chart "${chart.title}" (${chart.viewKey}) is blank in the PNG: ${colored} coloured pixels in its area, at least ${needed} expected`);
  }
  return { ok: true, details: { bytes: size, width: image.width, height: image.height, charts: summary.chartCount } };
}

/** Pixels with a clear hue (series colours); axes, grid lines and text are grey and do not count. */
export function countColoredPixels(image: DecodedPng, area: { x: number; y: number; width: number; height: number }): number {
  let count = 0;
  const right = Math.min(image.width, area.x + area.width);
  const bottom = Math.min(image.height, area.y + area.height);
  for (let y = Math.max(0, area.y); y < bottom; y += 1) {
    for (let x = Math.max(0, area.x); x < right; x += 1) {
      const offset = (y * image.width + x) * 4;
      const r = image.pixels[offset];
      const g = image.pixels[offset + 1];
      const b = image.pixels[offset + 2];
      if (image.pixels[offset + 3] > 0 && Math.max(r, g, b) - Math.min(r, g, b) >= 40) count += 1;
    }
  }
  return count;
}

async function verifyCsv(file: string | Buffer, summary: RenderSummary, expected: ExportExpectation, size: number): Promise<VerifyResult> {
  if (summary.files) return verifyCsvZip(typeof file === 'string' ? await readFile(file) : file, summary, expected, size);
  const source = typeof file === 'string' ? createReadStream(file) : Readable.from([file]);
  const parser = source.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  source.once('error', (error: Error) => parser.destroy(error));
  let records = 0;
  for await (const _record of parser) records += 1;
  const dataRows = records - 1;
  const problem = rowMismatch('the CSV', dataRows, summary, expected);
  if (problem) return fail(problem);
  return { ok: true, details: { bytes: size, records, rows: dataRows } };
}

/** The dashboard's ZIP: it unzips, holds the README and manifest, and each CSV parses with the rows the renderer wrote. */
function verifyCsvZip(file: Buffer, summary: RenderSummary, expected: ExportExpectation, size: number): VerifyResult {
  const entries = unzipSync(file);
  for (const required of ['README.txt', 'manifest.json']) if (!entries[required]) return fail(`the ZIP has no ${required}`);
  let dataRows = 0;
  for (const { name, rows } of summary.files!) {
    const entry = entries[name];
    if (!entry) return fail(`the ZIP lacks ${name}`);
    const records = parseSync(Buffer.from(entry), { bom: true, relax_column_count: false, skip_empty_lines: false }) as string[][];
    if (records.length - 1 !== rows) return fail(`${name} holds ${records.length - 1} data rows, the renderer wrote ${rows}`);
    dataRows += records.length - 1;
  }
  const csvFiles = Object.keys(entries).filter((name) => name.endsWith('.csv'));
  if (csvFiles.length !== summary.files!.length) return fail(`the ZIP holds ${csvFiles.length} CSV files, the renderer wrote ${summary.files!.length}`);
  const problem = rowMismatch('the ZIP', dataRows, summary, expected);
  if (problem) return fail(problem);
  return { ok: true, details: { bytes: size, files: csvFiles.length, rows: dataRows } };
}

async function verifyExcel(file: string | Buffer, summary: RenderSummary, expected: ExportExpectation, size: number): Promise<VerifyResult> {
  const counts = (await readXlsxSheetRows(file)).map((sheet) => ({ name: sheet.name, rows: sheet.rowsAfterFirst }));
  const sheets = summary.sheets ?? [];
  if (counts.length !== sheets.length) return fail(`the workbook has ${counts.length} sheets, the renderer wrote ${sheets.length}`);
  for (const [index, sheet] of sheets.entries()) {
    if (counts[index].name !== sheet.name) return fail(`sheet ${index + 1} is named "${counts[index].name}", the renderer wrote "${sheet.name}"`);
    // The report sheet has no header row: its first row is data.
    const found = sheet.kind === 'report' ? counts[index].rows + 1 : counts[index].rows;
    if (found !== sheet.rowCount) return fail(`sheet "${sheet.name}" holds ${found} rows, the renderer wrote ${sheet.rowCount}`);
  }
  const dataRows = sheets.reduce((sum, sheet, index) => sum + (sheet.kind === 'view' || sheet.kind === 'raw' ? counts[index].rows : 0), 0);
  const problem = rowMismatch('the workbook', dataRows, summary, expected);
  if (problem) return fail(problem);
  return { ok: true, details: { bytes: size, sheets: counts.length, rows: dataRows } };
}
