import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { type ViewColumn, cellValue, formatCell, viewColumns } from './export-document';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR } from './fonts';
import { printableText } from './printable-text';
import { REPORT_COLORS } from './report-style';

const FONT_SIZE = 8;
/** A table too wide for the page shrinks its type down to this rather than cut a number. */
const MIN_FONT_SIZE = 6;
/** Up to three lines: labels say what they divide ("Purchase rate (of clicks)") and may wrap. */
const HEADER_HEIGHT = 34;
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
  const { widths, fontSize } = columnWidths(widthMeasurer(pdf, FONT_SIZE), columns, rows.slice(0, MEASURED_ROWS).map(cells), numeric, frame.width);
  const layout: CellLayout = { widths, numeric, measure: widthMeasurer(pdf, fontSize), x: frame.x, fontSize };

  let y = startY;
  if (y + HEADER_HEIGHT + ROW_HEIGHT * 3 > frame.bottom()) y = frame.newPage();
  y = drawHeader(pdf, columns, layout, y);
  let rowsDrawn = 0;
  for (const row of rows) {
    if (y + ROW_HEIGHT > frame.bottom()) {
      y = drawHeader(pdf, columns, layout, frame.newPage());
    }
    if (rowsDrawn % 2 === 1) pdf.rect(frame.x, y, frame.width, ROW_HEIGHT).fill(REPORT_COLORS.zebra);
    pdf.font(PDF_FONT_REGULAR).fontSize(layout.fontSize).fillColor(REPORT_COLORS.ink);
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
  fontSize: number;
}

/**
 * Text widths at the table's font size, cached: shaping a string with a CJK font is the costly
 * part of a table, and every cell is measured to size its column and again to place it.
 */
function widthMeasurer(pdf: PDFKit.PDFDocument, fontSize: number): Measure {
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

function drawHeader(pdf: PDFKit.PDFDocument, columns: ViewColumn[], layout: CellLayout, y: number): number {
  const total = layout.widths.reduce((sum, width) => sum + width, 0);
  pdf.rect(layout.x, y, total, HEADER_HEIGHT).fill(REPORT_COLORS.headerFill);
  pdf.font(PDF_FONT_BOLD).fontSize(layout.fontSize).fillColor(REPORT_COLORS.headerText);
  let cellX = layout.x;
  columns.forEach((column, index) => {
    const inner = layout.widths[index] - CELL_PADDING * 2;
    pdf.text(column.label, cellX + CELL_PADDING, y + 2, {
      width: inner, height: HEADER_HEIGHT - 2, ellipsis: true, lineGap: -2.5, align: layout.numeric[index] ? 'right' : 'left',
    });
    cellX += layout.widths[index];
  });
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

/**
 * Column widths filling the frame. A number is never cut: numeric columns get the width of their
 * widest cell, text columns (campaign names) share what is left and end in an ellipsis; headers
 * wrap onto two lines. When the numbers alone are wider than the page, the type shrinks.
 */
function columnWidths(
  measure: Measure,
  columns: ViewColumn[],
  sample: string[][],
  numeric: boolean[],
  width: number,
): { widths: number[]; fontSize: number } {
  const data = columns.map((_, index) => Math.max(0, ...sample.map((cells) => measure(cells[index], false))) + CELL_PADDING * 2);
  // A header on three lines needs about a third of its width (a little more: lines break between
  // words), and at least its longest word.
  const header = columns.map((column) => {
    const words = column.label.split(/\s+/).map((word) => measure(word, true));
    return Math.max(measure(column.label, true) / 2.6, ...words) + CELL_PADDING * 2;
  });
  const needed = columns.map((_, index) => (numeric[index] ? Math.max(data[index], header[index]) : Math.min(Math.max(data[index], header[index]), MAX_NATURAL_WIDTH)));
  const total = needed.reduce((sum, value) => sum + value, 0);
  if (total <= width) return { widths: needed.map((value) => (value / total) * width), fontSize: FONT_SIZE };
  const numbers = needed.reduce((sum, value, index) => sum + (numeric[index] ? value : 0), 0);
  const texts = needed.reduce((sum, value, index) => sum + (numeric[index] ? 0 : value), 0);
  const textRoom = width - numbers;
  // Names must stay tellable apart (SPONSORED_PRODUCTS vs SPONSORED_BRANDS): up to 120 pt each before the type shrinks.
  const textWanted = Math.min(texts, 120 * numeric.filter((isNumber) => !isNumber).length);
  if (textRoom >= textWanted) {
    return { widths: needed.map((value, index) => (numeric[index] ? value : (value / texts) * textRoom)), fontSize: FONT_SIZE };
  }
  // Smaller type: the text of every number scales with it (the padding does not); names share the rest.
  const numericCount = numeric.filter(Boolean).length;
  const padding = CELL_PADDING * 2 + 1;
  const contents = numbers - padding * numericCount;
  const scale = Math.min(1, Math.max(MIN_FONT_SIZE / FONT_SIZE, (width - textWanted - padding * numericCount) / contents));
  const room = Math.max(0, width - contents * scale - padding * numericCount);
  const widths = needed.map((value, index) => (numeric[index] ? (value - CELL_PADDING * 2) * scale + padding : texts === 0 ? 0 : (value / texts) * room));
  return { widths, fontSize: FONT_SIZE * scale };
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
