import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { type ViewColumn, cellValue, formatCell, viewColumns } from './export-document';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR } from './fonts';
import { printableText } from './printable-text';
import { REPORT_COLORS } from './report-style';

const FONT_SIZE = 8;
const HEADER_HEIGHT = 20;
const ROW_HEIGHT = 16;
const CELL_PADDING = 5;
/** Widths are measured on this many rows; enough to size columns without measuring a huge table twice. */
const MEASURED_ROWS = 300;
const MAX_NATURAL_WIDTH = 230;

export interface PdfTableFrame {
  x: number;
  width: number;
  /** Lowest y a row may reach on the current page. */
  bottom: () => number;
  /** Starts a new page and returns the y to continue at. */
  newPage: () => number;
}

/**
 * Draws a view's rows as a table that flows across pages, repeating the header on every page.
 * Rows are one line each (long text ends in an ellipsis) so a row never splits across a page.
 * Returns the number of data rows drawn and the y below the table.
 */
export function drawPdfTable(pdf: PDFKit.PDFDocument, view: BuiltView, startY: number, frame: PdfTableFrame): { rowsDrawn: number; y: number } {
  // Headers fall back to field names (AMC column names): user text too.
  const columns = viewColumns(view).map((column) => ({ ...column, label: printableText(column.label) }));
  const rows = view.data.rows;
  const cells = (row: (typeof rows)[number]) => columns.map((column) => formatCell(cellValue(row, column), column));
  const numeric = columns.map((column) => column.format !== undefined || rows.every((row) => typeof row[column.field] !== 'string'));
  const measure = widthMeasurer(pdf);
  const widths = columnWidths(measure, columns, rows.slice(0, MEASURED_ROWS).map(cells), frame.width);
  const layout: CellLayout = { widths, numeric, measure, x: frame.x };

  let y = startY;
  if (y + HEADER_HEIGHT + ROW_HEIGHT * 3 > frame.bottom()) y = frame.newPage();
  y = drawHeader(pdf, columns, layout, y);
  let rowsDrawn = 0;
  for (const row of rows) {
    if (y + ROW_HEIGHT > frame.bottom()) {
      y = drawHeader(pdf, columns, layout, frame.newPage());
    }
    if (rowsDrawn % 2 === 1) pdf.rect(frame.x, y, frame.width, ROW_HEIGHT).fill(REPORT_COLORS.zebra);
    pdf.font(PDF_FONT_REGULAR).fontSize(FONT_SIZE).fillColor(REPORT_COLORS.ink);
    drawCells(pdf, cells(row), layout, false, y, ROW_HEIGHT);
    y += ROW_HEIGHT;
    rowsDrawn += 1;
  }
  pdf.moveTo(frame.x, y).lineTo(frame.x + frame.width, y).lineWidth(0.5).stroke(REPORT_COLORS.rule);
  if (rows.length === 0) {
    pdf.font(PDF_FONT_REGULAR).fontSize(9).fillColor(REPORT_COLORS.faint).text('No rows for this period.', frame.x, y + 6, { lineBreak: false });
    y += 20;
  }
  return { rowsDrawn, y };
}

type Measure = (text: string, bold: boolean) => number;

interface CellLayout {
  widths: number[];
  numeric: boolean[];
  measure: Measure;
  x: number;
}

/**
 * Text widths at the table's font size, cached: shaping a string with a CJK font is the costly
 * part of a table, and every cell is measured to size its column and again to place it.
 */
function widthMeasurer(pdf: PDFKit.PDFDocument): Measure {
  const cache = new Map<string, number>();
  return (text, bold) => {
    const key = (bold ? 'b' : 'r') + text;
    let width = cache.get(key);
    if (width === undefined) {
      pdf.font(bold ? PDF_FONT_BOLD : PDF_FONT_REGULAR).fontSize(FONT_SIZE);
      width = pdf.widthOfString(text);
      cache.set(key, width);
    }
    return width;
  };
}

function drawHeader(pdf: PDFKit.PDFDocument, columns: ViewColumn[], layout: CellLayout, y: number): number {
  const total = layout.widths.reduce((sum, width) => sum + width, 0);
  pdf.rect(layout.x, y, total, HEADER_HEIGHT).fill(REPORT_COLORS.headerFill);
  pdf.font(PDF_FONT_BOLD).fontSize(FONT_SIZE).fillColor(REPORT_COLORS.headerText);
  drawCells(pdf, columns.map((column) => column.label), layout, true, y, HEADER_HEIGHT);
  return y + HEADER_HEIGHT;
}

/** Places each cell itself (no width option): pdfkit's line wrapper is not needed for one line. */
function drawCells(pdf: PDFKit.PDFDocument, texts: string[], layout: CellLayout, bold: boolean, y: number, height: number): void {
  const textY = y + (height - pdf.currentLineHeight()) / 2;
  let cellX = layout.x;
  texts.forEach((text, index) => {
    const inner = layout.widths[index] - CELL_PADDING * 2;
    let shown = text;
    let width = layout.measure(text, bold);
    if (width > inner) {
      shown = fitText(pdf, text, inner);
      width = pdf.widthOfString(shown);
    }
    const x = layout.numeric[index] ? cellX + CELL_PADDING + inner - width : cellX + CELL_PADDING;
    pdf.text(shown, x, textY, { lineBreak: false });
    cellX += layout.widths[index];
  });
}

/** Natural width per column (header and measured cells), scaled to fill the frame exactly. */
function columnWidths(measure: Measure, columns: ViewColumn[], sample: string[][], width: number): number[] {
  const natural = columns.map((column, index) => {
    let widest = measure(column.label, true);
    for (const cells of sample) widest = Math.max(widest, measure(cells[index], false));
    return Math.min(widest, MAX_NATURAL_WIDTH) + CELL_PADDING * 2;
  });
  const total = natural.reduce((sum, value) => sum + value, 0);
  return natural.map((value) => (value / total) * width);
}

/** The text, cut with an ellipsis to fit `width` at the current font. */
export function fitText(pdf: PDFKit.PDFDocument, text: string, width: number): string {
  if (pdf.widthOfString(text) <= width) return text;
  const characters = Array.from(text);
  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (pdf.widthOfString(`${characters.slice(0, middle).join('')}…`) <= width) low = middle;
    else high = middle - 1;
  }
  return `${characters.slice(0, low).join('')}…`;
}
