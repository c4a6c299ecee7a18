import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { cellValue, formatCell, isNumericColumn, viewColumns } from './view-columns';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR } from './fonts';
import { printableText } from './printable-text';
import { REPORT_COLORS } from './report-style';
import { type MeasureText, type TableLayout, columnGroupLabel, keyColumnIndex, layoutTable, shortenText, wrapCellText } from './table-layout';

const FONT_SIZE = 8;
const LINE_HEIGHT = 10;
const CELL_PADDING = 5;
const ROW_PADDING = 6;
/** Text cells (campaign names) wrap onto this many lines before they shorten. */
const MAX_TEXT_LINES = 3;
const MAX_HEADER_LINES = 3;
const MIN_TEXT_WIDTH = 72;
const MAX_TEXT_WIDTH = 190;

export interface PdfTableFrame {
  x: number;
  width: number;
  /** Lowest y a row may reach on the current page. */
  bottom: () => number;
  /** Starts a new page and returns the y to continue at. */
  newPage: () => number;
}

export interface DrawnPdfTable {
  rowsDrawn: number;
  y: number;
  /** Column groups the table was split into (1: it fits). */
  groups: number;
  /** Numeric cells as drawn, for the export check. */
  numbers: string[];
}

interface PreparedTable {
  labels: string[];
  numeric: boolean[];
  cells: string[][];
  key: number | undefined;
}

function prepare(view: BuiltView): PreparedTable {
  // Labels come from the metric layer, but a custom x label is user text too.
  const columns = viewColumns(view);
  return {
    labels: columns.map((column) => printableText(column.label)),
    numeric: columns.map(isNumericColumn),
    cells: view.data.rows.map((row) => columns.map((column) => formatCell(cellValue(row, column), column))),
    key: keyColumnIndex(columns.map((column) => ({ label: column.label, numeric: isNumericColumn(column) }))),
  };
}

/**
 * Text widths at the table's font size, cached: shaping a string with a CJK font is the costly
 * part of a table, and every cell is measured to size its column and again to place it.
 */
export function pdfMeasurer(pdf: PDFKit.PDFDocument, fontSize = FONT_SIZE): MeasureText {
  const cache = new Map<string, number>();
  return (text, bold) => {
    const key = (bold ? 'b' : 'r') + text;
    let width = cache.get(key);
    if (width === undefined) {
      pdf.font(bold ? PDF_FONT_BOLD : PDF_FONT_REGULAR).fontSize(fontSize);
      width = pdf.widthOfString(text);
      cache.set(key, width);
    }
    return width;
  };
}

function layoutFor(table: PreparedTable, measure: MeasureText, width: number): TableLayout {
  return layoutTable(
    table.labels.map((label, index) => ({ label, numeric: table.numeric[index] })),
    table.cells,
    { measure, width, padding: CELL_PADDING * 2, minTextWidth: MIN_TEXT_WIDTH, maxTextWidth: MAX_TEXT_WIDTH, maxTextLines: MAX_TEXT_LINES, maxHeaderLines: MAX_HEADER_LINES },
  );
}

/** The narrowest the view's table can be without splitting it: decides the page orientation. */
export function pdfTableMinimumWidth(pdf: PDFKit.PDFDocument, view: BuiltView): number {
  return layoutFor(prepare(view), pdfMeasurer(pdf), Number.POSITIVE_INFINITY).minimumWidth;
}

/**
 * Draws a view's rows as a table that flows across pages, repeating its header on every page.
 * Columns are laid out by table-layout (numbers never cut, names wrapped); a table too wide for
 * the page is drawn as labelled column groups one after another, each repeating the key column.
 */
export function drawPdfTable(pdf: PDFKit.PDFDocument, view: BuiltView, startY: number, frame: PdfTableFrame): DrawnPdfTable {
  const table = prepare(view);
  const measure = pdfMeasurer(pdf);
  const layout = layoutFor(table, measure, frame.width);
  const numbers: string[] = [];
  let y = startY;
  layout.groups.forEach((group, groupIndex) => {
    const label = columnGroupLabel(groupIndex, layout.groups, table.labels, table.key);
    const headers = group.columns.map((column, index) => wrapCellText(table.labels[column], group.widths[index] - CELL_PADDING * 2, MAX_HEADER_LINES, measure, true));
    const headerHeight = Math.max(...headers.map((lines) => lines.length)) * LINE_HEIGHT + ROW_PADDING;
    const needed = (label ? 16 : 0) + headerHeight + (LINE_HEIGHT + ROW_PADDING) * 3;
    if (y + needed > frame.bottom()) y = frame.newPage();
    if (label) {
      pdf.font(PDF_FONT_BOLD).fontSize(9).fillColor(REPORT_COLORS.muted).text(label, frame.x, y, { lineBreak: false });
      y += 16;
    }
    const drawHeader = (top: number) => {
      const total = group.widths.reduce((sum, width) => sum + width, 0);
      pdf.rect(frame.x, top, total, headerHeight).fill(REPORT_COLORS.headerFill);
      pdf.font(PDF_FONT_BOLD).fontSize(FONT_SIZE).fillColor(REPORT_COLORS.headerText);
      drawLines(pdf, headers, group.columns.map((column) => table.numeric[column]), group.widths, frame.x, top + ROW_PADDING / 2, measure, true);
      return top + headerHeight;
    };
    y = drawHeader(y);
    table.cells.forEach((row, rowIndex) => {
      const lines = group.columns.map((column, index) =>
        table.numeric[column] ? [row[column]] : wrapCellText(row[column], group.widths[index] - CELL_PADDING * 2, MAX_TEXT_LINES, measure));
      const height = Math.max(...lines.map((cell) => cell.length)) * LINE_HEIGHT + ROW_PADDING;
      if (y + height > frame.bottom()) y = drawHeader(frame.newPage());
      const total = group.widths.reduce((sum, width) => sum + width, 0);
      if (rowIndex % 2 === 1) pdf.rect(frame.x, y, total, height).fill(REPORT_COLORS.zebra);
      pdf.font(PDF_FONT_REGULAR).fontSize(FONT_SIZE).fillColor(REPORT_COLORS.ink);
      drawLines(pdf, lines, group.columns.map((column) => table.numeric[column]), group.widths, frame.x, y + ROW_PADDING / 2, measure, false);
      group.columns.forEach((column, index) => {
        if (table.numeric[column] && column !== table.key) numbers.push(lines[index][0]);
      });
      y += height;
    });
    pdf.moveTo(frame.x, y).lineTo(frame.x + frame.width, y).lineWidth(0.5).stroke(REPORT_COLORS.rule);
    if (groupIndex < layout.groups.length - 1) y += 14;
  });
  if (table.cells.length === 0) {
    pdf.font(PDF_FONT_REGULAR).fontSize(9).fillColor(REPORT_COLORS.faint).text('No rows for this period.', frame.x, y + 6, { lineBreak: false });
    y += 20;
  }
  return { rowsDrawn: table.cells.length, y, groups: layout.groups.length, numbers };
}

/** Places each line itself (no width option): pdfkit's own wrapper would break numbers it finds too wide. */
function drawLines(pdf: PDFKit.PDFDocument, cells: string[][], numeric: boolean[], widths: number[], x: number, top: number, measure: MeasureText, bold: boolean): void {
  let cellX = x;
  cells.forEach((lines, index) => {
    const inner = widths[index] - CELL_PADDING * 2;
    lines.forEach((line, lineIndex) => {
      const width = measure(line, bold);
      const lineX = numeric[index] ? cellX + CELL_PADDING + inner - width : cellX + CELL_PADDING;
      pdf.text(line, lineX, top + lineIndex * LINE_HEIGHT, { lineBreak: false });
    });
    cellX += widths[index];
  });
}

/** The text, cut with an ellipsis to fit `width` at the current font (names in the contents and footers, never numbers). */
export function fitText(pdf: PDFKit.PDFDocument, text: string, width: number): string {
  return shortenText(text, width, (candidate) => pdf.widthOfString(candidate));
}
