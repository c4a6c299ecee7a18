import { type ExportDocument, type ExportLogo, formatTimestamp, formatTimeWindow, isPlainSum } from './export-document';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR } from './fonts';
import { type MetricCard } from './metric-cards';
import { type PageGeometry, accentOf } from './pdf-page';
import { fitText } from './pdf-table';
import { REPORT_COLORS } from './report-style';
import { drawSvgOnPdf } from './pdf-svg';

const BAND_HEIGHT = 260;
const LOGO_BOX = { width: 140, height: 56 };

/** Where the cover (with its cards) ended: on the first page, or further when the cards continued. */
export interface CoverEnd {
  bottom: number;
  continued: boolean;
}

export interface ContentsEntry {
  title: string;
  /** 1-based. */
  page: number;
}

/**
 * The cover: a band with the logo, the cover title (the branding's, else the report name) and
 * the time window, then the details, the metric cards and their formulas. Returns the y below.
 */
export function drawCover(
  pdf: PDFKit.PDFDocument, page: PageGeometry, doc: ExportDocument, cards: MetricCard[], window: string | undefined, newPage: () => number,
): CoverEnd {
  const { report } = doc;
  const accent = accentOf(doc);
  pdf.rect(0, 0, page.width, BAND_HEIGHT).fill(REPORT_COLORS.band);
  pdf.rect(0, BAND_HEIGHT, page.width, 4).fill(accent);
  const logo = doc.branding?.logo;
  if (logo) drawLogo(pdf, logo, page.left + page.contentWidth - LOGO_BOX.width, 40);
  const textWidth = logo ? page.contentWidth - LOGO_BOX.width - 16 : page.contentWidth;
  pdf.font(PDF_FONT_BOLD).fontSize(9).fillColor(REPORT_COLORS.bandMuted);
  pdf.text(`AMAZON MARKETING CLOUD · ${report.dashboardType.toUpperCase()} REPORT`, page.left, 72, { width: textWidth, characterSpacing: 1.2 });
  const title = doc.branding?.coverTitle ?? report.name;
  pdf.font(PDF_FONT_BOLD).fontSize(26).fillColor(REPORT_COLORS.bandText).text(title, page.left, 96, { width: textWidth, height: 110, ellipsis: true });
  pdf.font(PDF_FONT_REGULAR).fontSize(12).fillColor(REPORT_COLORS.bandMuted).text(formatTimeWindow(report), page.left, 214, { width: page.contentWidth });

  const details: Array<[string, string]> = [
    ...(doc.branding?.coverTitle ? [['Report', report.name] as [string, string]] : []),
    ['Workflow', report.workflowName],
    ['Time window', formatTimeWindow(report)],
    ['Dashboard', report.dashboardType],
    ['Generated', formatTimestamp(report.generatedAt)],
  ];
  // A landscape cover is short: its details go in two columns so the metric cards still fit under them.
  const columns = page.layout === 'landscape' ? 2 : 1;
  const columnWidth = page.contentWidth / columns;
  const top = BAND_HEIGHT + 36;
  details.forEach(([label, value], index) => {
    const x = page.left + (index % columns) * columnWidth;
    const y = top + Math.floor(index / columns) * 22;
    pdf.font(PDF_FONT_REGULAR).fontSize(9).fillColor(REPORT_COLORS.muted).text(label, x, y, { width: 110, lineBreak: false });
    pdf.font(PDF_FONT_REGULAR).fontSize(11).fillColor(REPORT_COLORS.ink);
    pdf.text(fitText(pdf, value, columnWidth - 130), x + 120, y - 1.5, { width: columnWidth - 130, lineBreak: false });
  });
  const y = top + Math.ceil(details.length / columns) * 22;
  if (cards.length === 0) return { bottom: y + 24, continued: false };
  const end = drawMetricCards(pdf, page, cards, y + 24, window, accent, newPage);
  return { bottom: end.bottom + 28, continued: end.continued };
}

/** A logo stored with the branding (PNG or a checked SVG), fitted into its box, never fetched from anywhere. */
function drawLogo(pdf: PDFKit.PDFDocument, logo: ExportLogo, x: number, y: number): void {
  if (logo.contentType === 'image/png') {
    pdf.image(logo.data, x, y, { fit: [LOGO_BOX.width, LOGO_BOX.height], align: 'right', valign: 'center' });
  } else {
    drawSvgOnPdf(pdf, logo.data.toString('utf8'), x, y, LOGO_BOX.width, LOGO_BOX.height, { preserveAspectRatio: 'xMaxYMid meet' });
  }
}

/**
 * Every card, four or six to a row; cards that do not fit the cover continue on the next page
 * (a landscape cover has room for one row), so no number is ever left out. Returns the y below
 * them and whether they ran past the cover (the contents then do not go on it).
 */
function drawMetricCards(
  pdf: PDFKit.PDFDocument, page: PageGeometry, cards: MetricCard[], top: number, window: string | undefined, accent: string, newPage: () => number,
): CoverEnd {
  const perRow = Math.min(page.layout === 'landscape' ? 6 : 4, cards.length);
  const gap = 12;
  const width = (page.contentWidth - gap * (perRow - 1)) / perRow;
  const height = 66;
  let continued = false;
  // The heading goes with the first row of cards: on the next page when no row fits under it.
  let headingTop = top;
  if (top + 44 + height > page.contentBottom) {
    headingTop = newPage();
    continued = true;
  }
  pdf.font(PDF_FONT_BOLD).fontSize(13).fillColor(REPORT_COLORS.ink).text('Key metrics', page.left, headingTop, { width: page.contentWidth });
  if (window) pdf.font(PDF_FONT_REGULAR).fontSize(9).fillColor(REPORT_COLORS.muted).text(window, page.left, pdf.y + 1, { width: page.contentWidth });
  let rowTop = pdf.y + 8;
  for (let start = 0; start < cards.length; start += perRow) {
    if (rowTop + height > page.contentBottom) {
      rowTop = newPage();
      continued = true;
      pdf.font(PDF_FONT_BOLD).fontSize(13).fillColor(REPORT_COLORS.ink).text('Key metrics (continued)', page.left, rowTop, { width: page.contentWidth });
      rowTop = pdf.y + 8;
    }
    cards.slice(start, start + perRow).forEach((card, column) => {
      const x = page.left + column * (width + gap);
      pdf.roundedRect(x, rowTop, width, height, 4).fill(REPORT_COLORS.cardFill);
      pdf.rect(x, rowTop, 3, height).fill(accent);
      // Labels say what they divide, so they may take two lines; a number is never cut: it shrinks to fit.
      // pdfkit ellipsises a line when two more full line heights would pass `height`: two lines need room for two.
      pdf.font(PDF_FONT_REGULAR).fontSize(8).fillColor(REPORT_COLORS.muted);
      pdf.text(card.label, x + 12, rowTop + 7, { width: width - 18, height: 2 * pdf.currentLineHeight(true) + 0.5, ellipsis: true, lineGap: -1 });
      let size = 17;
      pdf.font(PDF_FONT_BOLD).fontSize(size);
      while (size > 6 && pdf.widthOfString(card.value) > width - 18) pdf.fontSize((size -= 1));
      pdf.fillColor(REPORT_COLORS.ink).text(card.value, x + 12, rowTop + 32 + (17 - size) / 2, { lineBreak: false });
    });
    rowTop += height + gap;
  }
  return { bottom: drawCardFootnotes(pdf, page, cards, rowTop - gap + 8), continued };
}

/** Formulas under the cards: each card's number can be traced to its columns. */
function drawCardFootnotes(pdf: PDFKit.PDFDocument, page: PageGeometry, cards: MetricCard[], top: number): number {
  const withFormula = [...new Set(cards.filter((card) => card.formula && !isPlainSum(card.formula)).map((card) => card.formula!))];
  if (withFormula.length === 0 || top + 30 > page.contentBottom) return top;
  pdf.font(PDF_FONT_REGULAR).fontSize(6.5).fillColor(REPORT_COLORS.muted);
  pdf.text(`Formulas: ${withFormula.join('  ')}`, page.left, top, { width: page.contentWidth, height: page.contentBottom - top, ellipsis: true });
  return Math.min(pdf.y, page.contentBottom);
}

/** The sections and their pages on the cover, below the metric cards (as many as fit). */
export function drawContents(pdf: PDFKit.PDFDocument, page: PageGeometry, entries: ContentsEntry[], top: number): void {
  const rowHeight = 20;
  if (top + 40 + rowHeight > page.contentBottom) return;
  pdf.switchToPage(pdf.bufferedPageRange().start);
  pdf.font(PDF_FONT_BOLD).fontSize(13).fillColor(REPORT_COLORS.ink).text('Contents', page.left, top, { width: page.contentWidth });
  let y = pdf.y + 6;
  for (const entry of entries) {
    if (y + rowHeight > page.contentBottom) break;
    pdf.font(PDF_FONT_REGULAR).fontSize(10).fillColor(REPORT_COLORS.ink);
    pdf.text(fitText(pdf, entry.title, page.contentWidth - 60), page.left, y + 4, { lineBreak: false });
    pdf.fillColor(REPORT_COLORS.muted).text(String(entry.page), page.left, y + 4, { width: page.contentWidth, align: 'right', lineBreak: false });
    pdf.moveTo(page.left, y + rowHeight).lineTo(page.left + page.contentWidth, y + rowHeight).lineWidth(0.5).stroke(REPORT_COLORS.rule);
    y += rowHeight;
  }
}
