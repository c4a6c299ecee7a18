// svg-to-pdfkit ships no types; this is the one call it offers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SVGtoPDF = require('svg-to-pdfkit') as (
  doc: PDFKit.PDFDocument,
  svg: string,
  x: number,
  y: number,
  options: { width: number; height: number; fontCallback?: (family: string, bold: boolean) => string; preserveAspectRatio?: string },
) => void;

import { PDF_FONT_BOLD, PDF_FONT_REGULAR } from './fonts';

function pdfFont(_family: string, bold: boolean): string {
  return bold ? PDF_FONT_BOLD : PDF_FONT_REGULAR;
}

/** An SVG (a chart, a logo) drawn as vectors into a box, its text in the embedded font. */
export function drawSvgOnPdf(pdf: PDFKit.PDFDocument, svg: string, x: number, y: number, width: number, height: number, options: { preserveAspectRatio?: string } = {}): void {
  SVGtoPDF(pdf, svg, x, y, { width, height, fontCallback: pdfFont, ...options });
}
