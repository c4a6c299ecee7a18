import type { ExportDocument, PageSettings } from './export-document';
import { formatTimeWindow } from './export-document';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR } from './fonts';
import { fitText } from './pdf-table';
import { REPORT_COLORS } from './report-style';

/** Paper sizes in PDF points, portrait. */
const PAPER = { A4: { width: 595.28, height: 841.89 }, Letter: { width: 612, height: 792 } } as const;
export const PDF_MARGIN = { top: 56, bottom: 64, left: 48, right: 48 };

export interface PageGeometry {
  size: keyof typeof PAPER;
  layout: 'portrait' | 'landscape';
  width: number;
  height: number;
  contentWidth: number;
  contentBottom: number;
  left: number;
  top: number;
}

export const DEFAULT_PAGE: PageSettings = { orientation: 'auto', pageSize: 'A4' };

export function pageGeometry(size: keyof typeof PAPER, layout: 'portrait' | 'landscape'): PageGeometry {
  const paper = PAPER[size];
  const width = layout === 'portrait' ? paper.width : paper.height;
  const height = layout === 'portrait' ? paper.height : paper.width;
  return {
    size, layout, width, height,
    contentWidth: width - PDF_MARGIN.left - PDF_MARGIN.right,
    contentBottom: height - PDF_MARGIN.bottom,
    left: PDF_MARGIN.left,
    top: PDF_MARGIN.top,
  };
}

/** The colour things are accented in: the branding's, else the house accent. */
export function accentOf(doc: ExportDocument): string {
  return doc.branding?.accentColor ?? REPORT_COLORS.accent;
}

export function drawHeading(pdf: PDFKit.PDFDocument, page: PageGeometry, title: string, note: string | undefined, y: number): number {
  pdf.font(PDF_FONT_BOLD).fontSize(13).fillColor(REPORT_COLORS.ink).text(title, page.left, y, { width: page.contentWidth });
  let next = pdf.y + 2;
  if (note) {
    pdf.font(PDF_FONT_REGULAR).fontSize(8.5).fillColor(REPORT_COLORS.muted).text(note, page.left, next, { width: page.contentWidth });
    next = pdf.y + 2;
  }
  pdf.moveTo(page.left, next).lineTo(page.left + page.contentWidth, next).lineWidth(0.75).stroke(REPORT_COLORS.rule);
  return next + 8;
}

/**
 * Footers go on last, when the page count is known; the bottom margin is lifted so pdfkit does
 * not add a page. The branding's footer text (an agency's line) stands before the page number.
 */
export function drawFooters(pdf: PDFKit.PDFDocument, page: PageGeometry, doc: ExportDocument): number {
  const range = pdf.bufferedPageRange();
  const footer = doc.branding?.footerText;
  for (let index = range.start; index < range.start + range.count; index += 1) {
    pdf.switchToPage(index);
    pdf.page.margins.bottom = 0;
    const y = page.height - 38;
    pdf.moveTo(page.left, y - 8).lineTo(page.width - PDF_MARGIN.right, y - 8).lineWidth(0.5).stroke(REPORT_COLORS.rule);
    pdf.font(PDF_FONT_REGULAR).fontSize(8).fillColor(REPORT_COLORS.faint);
    const left = footer ? `${footer} · ${doc.report.name}` : `${doc.report.name} · ${formatTimeWindow(doc.report)}`;
    pdf.text(fitText(pdf, left, page.contentWidth - 90), page.left, y, { lineBreak: false });
    pdf.text(`Page ${index + 1} of ${range.count}`, page.left, y, { width: page.contentWidth, align: 'right', lineBreak: false });
  }
  pdf.flushPages();
  return range.count;
}
