import { type ExportDocument, formatConfidence } from './export-document';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR } from './fonts';
import { type PageGeometry, accentOf, drawHeading } from './pdf-page';
import { REPORT_COLORS, insightColor } from './report-style';

/** Returns the page the insights start on (1-based). */
export function drawInsights(pdf: PDFKit.PDFDocument, page: PageGeometry, doc: ExportDocument, startY: number, newPage: () => number): number {
  let y = startY + 100 > page.contentBottom ? newPage() : startY;
  const firstPage = pdf.bufferedPageRange().start + pdf.bufferedPageRange().count;
  y = drawHeading(pdf, page, 'Insights', 'Generated from this execution and its history; confidence combines statistical strength and number verification.', y);
  if (doc.insights.length === 0) {
    pdf.font(PDF_FONT_REGULAR).fontSize(10).fillColor(REPORT_COLORS.faint).text('No insights for this execution reach the report\'s minimum confidence.', page.left, y);
    return firstPage;
  }
  const textX = page.left + 14;
  const textWidth = page.contentWidth - 14;
  for (const insight of doc.insights) {
    pdf.font(PDF_FONT_REGULAR).fontSize(10.5);
    const blockHeight = 22 + pdf.heightOfString(insight.text, { width: textWidth }) + 22;
    if (y + blockHeight > page.contentBottom) y = newPage();
    const color = insightColor(insight.insightType);
    pdf.rect(page.left, y, 3, blockHeight - 10).fill(color);
    const badge = insight.insightType.toUpperCase();
    pdf.font(PDF_FONT_BOLD).fontSize(7);
    const badgeWidth = pdf.widthOfString(badge, { characterSpacing: 0.8 }) + 12;
    pdf.roundedRect(textX, y, badgeWidth, 14, 3).fill(color);
    pdf.fillColor('#ffffff').text(badge, textX + 6, y + 3, { lineBreak: false, characterSpacing: 0.8 });
    drawConfidence(pdf, insight.confidenceScore, textX + badgeWidth + 10, y + 2, accentOf(doc));
    pdf.font(PDF_FONT_REGULAR).fontSize(10.5).fillColor(REPORT_COLORS.ink).text(insight.text, textX, y + 20, { width: textWidth });
    y = pdf.y + 16;
  }
  return firstPage;
}

function drawConfidence(pdf: PDFKit.PDFDocument, score: number, x: number, y: number, accent: string): void {
  const barWidth = 56;
  pdf.roundedRect(x, y + 3, barWidth, 5, 2.5).fill(REPORT_COLORS.rule);
  pdf.roundedRect(x, y + 3, Math.max(2, barWidth * Math.min(1, Math.max(0, score))), 5, 2.5).fill(accent);
  pdf.font(PDF_FONT_REGULAR).fontSize(8).fillColor(REPORT_COLORS.muted);
  pdf.text(`Confidence ${formatConfidence(score)}`, x + barWidth + 6, y - 1, { lineBreak: false });
}
