import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { preferredChartHeight } from '@amc-reports/charts';
import { countChartDataElements, countPlottableValues, renderChartSvg } from './chart-svg';
import {
  type DrawnChart,
  type ExportDocument,
  type RenderSummary,
  formatConfidence,
  formatTimestamp,
  formatTimeWindow,
  selectViews,
  isPlainSum,
  viewFormulas,
  viewPresentation,
} from './export-document';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR, loadReportFonts } from './fonts';
import { cardsWindow, type MetricCard, collectMetricCards } from './metric-cards';
import { drawPdfTable, fitText } from './pdf-table';
import { printableDocument } from './printable-text';
import { REPORT_COLORS, insightColor } from './report-style';

// svg-to-pdfkit ships no types; this is the one call it offers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SVGtoPDF = require('svg-to-pdfkit') as (
  doc: PDFKit.PDFDocument,
  svg: string,
  x: number,
  y: number,
  options: { width: number; height: number; fontCallback: (family: string, bold: boolean) => string },
) => void;

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 56, bottom: 64, left: 48, right: 48 };
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const CONTENT_BOTTOM = PAGE.height - MARGIN.bottom;
/** ECharts lays the chart out in px at this size; it is scaled into the content width as vectors. */
const CHART_PX = { width: 760, height: 400 };

/**
 * The dashboard as an A4 report: a cover (report, workflow, time window, generation time, metric
 * cards), every chart as vector graphics, tables across pages, insights with their confidence,
 * and page numbers. Text uses the bundled Noto Sans JP subset, so non-Latin names survive.
 */
export async function renderPdf(source: ExportDocument, out: Writable): Promise<RenderSummary> {
  // Names may hold tabs, bidi controls or characters the font lacks: drawn as printableText.
  const doc = printableDocument(source);
  const fonts = loadReportFonts();
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    info: {
      Title: doc.report.name,
      Subject: `${doc.report.workflowName}, ${formatTimeWindow(doc.report)}`,
      Producer: 'amc-reports',
      CreationDate: new Date(doc.report.generatedAt),
    },
  });
  pdf.registerFont(PDF_FONT_REGULAR, fonts.regular);
  pdf.registerFont(PDF_FONT_BOLD, fonts.bold);
  const written = pipeline(pdf as unknown as NodeJS.ReadableStream, out);
  try {
    const summary = drawReport(pdf, doc);
    pdf.end();
    await written;
    return summary;
  } catch (error) {
    pdf.destroy(error as Error);
    await written.catch(() => undefined);
    throw error;
  }
}

function drawReport(pdf: PDFKit.PDFDocument, doc: ExportDocument): RenderSummary {
  const views = selectViews(doc);
  const coverBottom = drawCover(pdf, doc, collectMetricCards(views), cardsWindow(views));
  const contents: ContentsEntry[] = [];
  const currentPage = () => pdf.bufferedPageRange().start + pdf.bufferedPageRange().count;
  const charts: DrawnChart[] = [];
  let rowCount = 0;
  let y = startPage(pdf);
  for (const view of views) {
    const presentation = viewPresentation(view);
    if (presentation === 'chart') {
      // Small multiples (series of different scales) get the height they need, up to a page.
      const pxHeight = preferredChartHeight(view.chart, view.data.rows, CHART_PX.height);
      const height = Math.min((CONTENT_WIDTH * pxHeight) / CHART_PX.width, CONTENT_BOTTOM - MARGIN.top - 80);
      if (y + (viewNote(view) ? 48 : 30) + height > CONTENT_BOTTOM) y = startPage(pdf);
      contents.push({ title: view.name, page: currentPage() });
      y = drawHeading(pdf, view.name, viewNote(view), y);
      const svg = renderChartSvg(view.chart, view.data.rows, { width: CHART_PX.width, height: pxHeight, showTitle: false });
      SVGtoPDF(pdf, prepareSvgForPdf(svg), MARGIN.left, y, { width: CONTENT_WIDTH, height, fontCallback: pdfFont });
      charts.push({
        viewKey: view.key,
        title: view.name,
        sourceRows: view.data.rows.length,
        plottedValues: countPlottableValues(view.chart, view.data.rows),
        dataElements: countChartDataElements(svg),
      });
      y += height + 28;
    } else if (presentation === 'table') {
      if (y + 120 > CONTENT_BOTTOM) y = startPage(pdf);
      contents.push({ title: view.name, page: currentPage() });
      y = drawHeading(pdf, view.name, viewNote(view), y);
      const table = drawPdfTable(pdf, view, y, {
        x: MARGIN.left,
        width: CONTENT_WIDTH,
        bottom: () => CONTENT_BOTTOM,
        newPage: () => drawHeading(pdf, `${view.name} (continued)`, undefined, startPage(pdf)),
      });
      rowCount += table.rowsDrawn;
      y = table.y + 28;
    }
  }
  contents.push({ title: 'Insights', page: drawInsights(pdf, doc, y) });
  drawContents(pdf, contents, coverBottom);
  const pageCount = drawFooters(pdf, doc);
  return { format: 'pdf', chartCount: charts.length, rowCount, pageCount, charts };
}

function startPage(pdf: PDFKit.PDFDocument): number {
  pdf.addPage();
  return MARGIN.top;
}

function pdfFont(_family: string, bold: boolean): string {
  return bold ? PDF_FONT_BOLD : PDF_FONT_REGULAR;
}

/**
 * The root loses its px width/height so svg-to-pdfkit scales the viewBox into the box we give it
 * (otherwise px are taken at 0.75 pt and the chart overflows the page).
 */
function prepareSvgForPdf(svg: string): string {
  return svg.replace(/^<svg width="[^"]*" height="[^"]*"/, '<svg');
}

/** The view's notes, withheld rows, and the formula of each number it shows (the metric layer's footnote). */
function viewNote(view: BuiltView): string | undefined {
  const notes = [...(view.data.notes ?? [])];
  const withheld = view.data.filteredRowCount ?? 0;
  if (withheld > 0) notes.push(`${withheld} ${withheld === 1 ? 'row' : 'rows'} withheld by AMC privacy thresholds (not counted as zero).`);
  const formulas = viewFormulas(view);
  if (formulas.length > 0) notes.push(`Formulas: ${formulas.join(' ')}`);
  return notes.length > 0 ? notes.map((note) => (/[.!?]$/.test(note) ? note : `${note}.`)).join(' ') : undefined;
}

function drawHeading(pdf: PDFKit.PDFDocument, title: string, note: string | undefined, y: number): number {
  pdf.font(PDF_FONT_BOLD).fontSize(13).fillColor(REPORT_COLORS.ink).text(title, MARGIN.left, y, { width: CONTENT_WIDTH });
  let next = pdf.y + 2;
  if (note) {
    pdf.font(PDF_FONT_REGULAR).fontSize(8.5).fillColor(REPORT_COLORS.muted).text(note, MARGIN.left, next, { width: CONTENT_WIDTH });
    next = pdf.y + 2;
  }
  pdf.moveTo(MARGIN.left, next).lineTo(MARGIN.left + CONTENT_WIDTH, next).lineWidth(0.75).stroke(REPORT_COLORS.rule);
  return next + 8;
}

interface ContentsEntry {
  title: string;
  /** 1-based. */
  page: number;
}

/** The sections and their pages on the cover, below the metric cards (as many as fit). */
function drawContents(pdf: PDFKit.PDFDocument, entries: ContentsEntry[], top: number): void {
  const rowHeight = 20;
  if (top + 40 + rowHeight > CONTENT_BOTTOM) return;
  pdf.switchToPage(pdf.bufferedPageRange().start);
  pdf.font(PDF_FONT_BOLD).fontSize(13).fillColor(REPORT_COLORS.ink).text('Contents', MARGIN.left, top, { width: CONTENT_WIDTH });
  let y = pdf.y + 6;
  for (const entry of entries) {
    if (y + rowHeight > CONTENT_BOTTOM) break;
    pdf.font(PDF_FONT_REGULAR).fontSize(10).fillColor(REPORT_COLORS.ink);
    pdf.text(fitText(pdf, entry.title, CONTENT_WIDTH - 60), MARGIN.left, y + 4, { lineBreak: false });
    pdf.fillColor(REPORT_COLORS.muted).text(String(entry.page), MARGIN.left, y + 4, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
    pdf.moveTo(MARGIN.left, y + rowHeight).lineTo(MARGIN.left + CONTENT_WIDTH, y + rowHeight).lineWidth(0.5).stroke(REPORT_COLORS.rule);
    y += rowHeight;
  }
}

/** Returns the y below the cover's content. */
function drawCover(pdf: PDFKit.PDFDocument, doc: ExportDocument, cards: MetricCard[], window: string | undefined): number {
  const { report } = doc;
  pdf.rect(0, 0, PAGE.width, 260).fill(REPORT_COLORS.band);
  pdf.rect(0, 260, PAGE.width, 4).fill(REPORT_COLORS.accent);
  pdf.font(PDF_FONT_BOLD).fontSize(9).fillColor(REPORT_COLORS.bandMuted);
  pdf.text(`AMAZON MARKETING CLOUD · ${report.dashboardType.toUpperCase()} REPORT`, MARGIN.left, 72, { width: CONTENT_WIDTH, characterSpacing: 1.2 });
  pdf.font(PDF_FONT_BOLD).fontSize(26).fillColor(REPORT_COLORS.bandText).text(report.name, MARGIN.left, 96, { width: CONTENT_WIDTH, height: 110, ellipsis: true });
  pdf.font(PDF_FONT_REGULAR).fontSize(12).fillColor(REPORT_COLORS.bandMuted).text(formatTimeWindow(report), MARGIN.left, 214, { width: CONTENT_WIDTH });

  const details: Array<[string, string]> = [
    ['Workflow', report.workflowName],
    ['Time window', formatTimeWindow(report)],
    ['Dashboard', report.dashboardType],
    ['Generated', formatTimestamp(report.generatedAt)],
  ];
  let y = 296;
  for (const [label, value] of details) {
    pdf.font(PDF_FONT_REGULAR).fontSize(9).fillColor(REPORT_COLORS.muted).text(label, MARGIN.left, y, { width: 110, lineBreak: false });
    pdf.font(PDF_FONT_REGULAR).fontSize(11).fillColor(REPORT_COLORS.ink);
    pdf.text(fitText(pdf, value, CONTENT_WIDTH - 120), MARGIN.left + 120, y - 1.5, { width: CONTENT_WIDTH - 120, lineBreak: false });
    y += 22;
  }
  return cards.length > 0 ? drawMetricCards(pdf, cards, y + 24, window) + 28 : y + 24;
}

/** Returns the y below the cards. */
function drawMetricCards(pdf: PDFKit.PDFDocument, cards: MetricCard[], top: number, window: string | undefined): number {
  pdf.font(PDF_FONT_BOLD).fontSize(13).fillColor(REPORT_COLORS.ink).text('Key metrics', MARGIN.left, top, { width: CONTENT_WIDTH });
  if (window) pdf.font(PDF_FONT_REGULAR).fontSize(9).fillColor(REPORT_COLORS.muted).text(window, MARGIN.left, pdf.y + 1, { width: CONTENT_WIDTH });
  const perRow = Math.min(4, cards.length);
  const gap = 12;
  const width = (CONTENT_WIDTH - gap * (perRow - 1)) / perRow;
  const height = 66;
  const first = pdf.y + 8;
  const rowsThatFit = Math.max(1, Math.floor((CONTENT_BOTTOM - first + gap) / (height + gap)));
  cards.slice(0, rowsThatFit * perRow).forEach((card, index) => {
    const x = MARGIN.left + (index % perRow) * (width + gap);
    const y = first + Math.floor(index / perRow) * (height + gap);
    pdf.roundedRect(x, y, width, height, 4).fill(REPORT_COLORS.cardFill);
    pdf.rect(x, y, 3, height).fill(REPORT_COLORS.accent);
    // Labels say what they divide, so they may take two lines; a number is never cut: it shrinks to fit.
    pdf.font(PDF_FONT_REGULAR).fontSize(8).fillColor(REPORT_COLORS.muted);
    pdf.text(card.label, x + 12, y + 8, { width: width - 18, height: 20, ellipsis: true, lineGap: -1 });
    let size = 17;
    pdf.font(PDF_FONT_BOLD).fontSize(size);
    while (size > 9 && pdf.widthOfString(card.value) > width - 18) pdf.fontSize((size -= 1));
    pdf.fillColor(REPORT_COLORS.ink).text(card.value, x + 12, y + 32 + (17 - size) / 2, { width: width - 18, lineBreak: false });
  });
  const shownCards = cards.slice(0, rowsThatFit * perRow);
  const bottom = first + Math.ceil(shownCards.length / perRow) * (height + gap) - gap;
  return drawCardFootnotes(pdf, shownCards, bottom + 8);
}

/** Numbered formulas under the cards: each card's number can be traced to its columns. */
function drawCardFootnotes(pdf: PDFKit.PDFDocument, cards: MetricCard[], top: number): number {
  const withFormula = cards.filter((card) => card.formula && !isPlainSum(card.formula));
  if (withFormula.length === 0 || top + 30 > CONTENT_BOTTOM) return top;
  const text = withFormula.map((card) => card.formula).join('  ');
  pdf.font(PDF_FONT_REGULAR).fontSize(6.5).fillColor(REPORT_COLORS.muted);
  const available = CONTENT_BOTTOM - top;
  pdf.text(`Formulas: ${text}`, MARGIN.left, top, { width: CONTENT_WIDTH, height: available, ellipsis: true });
  return Math.min(pdf.y, CONTENT_BOTTOM);
}

/** Returns the page the insights start on (1-based). */
function drawInsights(pdf: PDFKit.PDFDocument, doc: ExportDocument, startY: number): number {
  let y = startY + 100 > CONTENT_BOTTOM ? startPage(pdf) : startY;
  const firstPage = pdf.bufferedPageRange().start + pdf.bufferedPageRange().count;
  y = drawHeading(pdf, 'Insights', 'Generated from this execution and its history; confidence combines statistical strength and number verification.', y);
  if (doc.insights.length === 0) {
    pdf.font(PDF_FONT_REGULAR).fontSize(10).fillColor(REPORT_COLORS.faint).text('No insights for this execution yet.', MARGIN.left, y);
    return firstPage;
  }
  const textX = MARGIN.left + 14;
  const textWidth = CONTENT_WIDTH - 14;
  for (const insight of doc.insights) {
    pdf.font(PDF_FONT_REGULAR).fontSize(10.5);
    const blockHeight = 22 + pdf.heightOfString(insight.text, { width: textWidth }) + 22;
    if (y + blockHeight > CONTENT_BOTTOM) y = startPage(pdf);
    const color = insightColor(insight.insightType);
    pdf.rect(MARGIN.left, y, 3, blockHeight - 10).fill(color);
    const badge = insight.insightType.toUpperCase();
    pdf.font(PDF_FONT_BOLD).fontSize(7);
    const badgeWidth = pdf.widthOfString(badge, { characterSpacing: 0.8 }) + 12;
    pdf.roundedRect(textX, y, badgeWidth, 14, 3).fill(color);
    pdf.fillColor('#ffffff').text(badge, textX + 6, y + 3, { lineBreak: false, characterSpacing: 0.8 });
    drawConfidence(pdf, insight.confidenceScore, textX + badgeWidth + 10, y + 2);
    pdf.font(PDF_FONT_REGULAR).fontSize(10.5).fillColor(REPORT_COLORS.ink).text(insight.text, textX, y + 20, { width: textWidth });
    y = pdf.y + 16;
  }
  return firstPage;
}

function drawConfidence(pdf: PDFKit.PDFDocument, score: number, x: number, y: number): void {
  const barWidth = 56;
  pdf.roundedRect(x, y + 3, barWidth, 5, 2.5).fill(REPORT_COLORS.rule);
  pdf.roundedRect(x, y + 3, Math.max(2, barWidth * Math.min(1, Math.max(0, score))), 5, 2.5).fill(REPORT_COLORS.accent);
  pdf.font(PDF_FONT_REGULAR).fontSize(8).fillColor(REPORT_COLORS.muted);
  pdf.text(`Confidence ${formatConfidence(score)}`, x + barWidth + 6, y - 1, { lineBreak: false });
}

/** Footers go on last, when the page count is known; the bottom margin is lifted so pdfkit does not add a page. */
function drawFooters(pdf: PDFKit.PDFDocument, doc: ExportDocument): number {
  const range = pdf.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    pdf.switchToPage(index);
    pdf.page.margins.bottom = 0;
    const y = PAGE.height - 38;
    pdf.moveTo(MARGIN.left, y - 8).lineTo(PAGE.width - MARGIN.right, y - 8).lineWidth(0.5).stroke(REPORT_COLORS.rule);
    pdf.font(PDF_FONT_REGULAR).fontSize(8).fillColor(REPORT_COLORS.faint);
    pdf.text(fitText(pdf, `${doc.report.name} · ${formatTimeWindow(doc.report)}`, CONTENT_WIDTH - 90), MARGIN.left, y, { lineBreak: false });
    pdf.text(`Page ${index + 1} of ${range.count}`, MARGIN.left, y, { width: CONTENT_WIDTH, align: 'right', lineBreak: false });
  }
  pdf.flushPages();
  return range.count;
}
