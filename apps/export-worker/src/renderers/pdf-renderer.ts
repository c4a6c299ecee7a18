import PDFDocument from 'pdfkit';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { preferredChartHeight } from '@amc-reports/charts';
import { countChartDataElements, countPlottableValues, renderChartSvg } from './chart-svg';
import { type DrawnChart, type ExportDocument, type RenderSummary, formatTimeWindow, selectViews, viewPresentation, viewsDrawnAs } from './export-document';
import { PDF_FONT_BOLD, PDF_FONT_REGULAR, loadReportFonts } from './fonts';
import { cardsWindow, collectMetricCards } from './metric-cards';
import { type ContentsEntry, drawContents, drawCover } from './pdf-cover';
import { drawInsights } from './pdf-insights';
import { DEFAULT_PAGE, PDF_MARGIN, type PageGeometry, drawFooters, drawHeading, pageGeometry } from './pdf-page';
import { drawSvgOnPdf } from './pdf-svg';
import { drawPdfTable, pdfTableMinimumWidth } from './pdf-table';
import { printableDocument } from './printable-text';
import { NoteOnce } from './view-notes';

/** ECharts lays the chart out in px at this size on a portrait page; it is scaled into the content width as vectors. */
const CHART_PX = { width: 760, height: 400 };
const PORTRAIT_CONTENT_WIDTH = pageGeometry('A4', 'portrait').contentWidth;

/**
 * The dashboard as a paged report (A4 or Letter): a cover (branding, report, workflow, time
 * window, generation time, metric cards), every chart as vector graphics, tables across pages,
 * insights with their confidence, and page numbers. Orientation `auto` turns the pages landscape
 * when a table would not fit portrait without being split. Text uses the bundled Noto Sans JP,
 * so non-Latin names survive.
 */
export async function renderPdf(source: ExportDocument, out: Writable): Promise<RenderSummary> {
  // Names may hold tabs, bidi controls or characters the font lacks: drawn as printableText.
  const doc = printableDocument(source);
  const fonts = loadReportFonts();
  const settings = doc.page ?? DEFAULT_PAGE;
  const pdf = new PDFDocument({
    size: settings.pageSize === 'Letter' ? 'LETTER' : 'A4',
    margins: PDF_MARGIN,
    bufferPages: true,
    autoFirstPage: false,
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
    const page = choosePage(pdf, doc, settings);
    const summary = drawReport(pdf, page, doc);
    pdf.end();
    await written;
    return summary;
  } catch (error) {
    pdf.destroy(error as Error);
    await written.catch(() => undefined);
    throw error;
  }
}

/** Portrait unless asked otherwise, or (auto) a table needs the width of a landscape page. */
function choosePage(pdf: PDFKit.PDFDocument, doc: ExportDocument, settings: NonNullable<ExportDocument['page']>): PageGeometry {
  const portrait = pageGeometry(settings.pageSize, 'portrait');
  if (settings.orientation !== 'auto') return pageGeometry(settings.pageSize, settings.orientation);
  const widest = Math.max(0, ...viewsDrawnAs(selectViews(doc), 'table').map((view) => pdfTableMinimumWidth(pdf, view)));
  return widest > portrait.contentWidth ? pageGeometry(settings.pageSize, 'landscape') : portrait;
}

function drawReport(pdf: PDFKit.PDFDocument, page: PageGeometry, doc: ExportDocument): RenderSummary {
  const views = selectViews(doc);
  const startPage = () => {
    pdf.addPage({ size: page.size === 'Letter' ? 'LETTER' : 'A4', layout: page.layout, margins: PDF_MARGIN });
    return page.top;
  };
  startPage();
  const cover = drawCover(pdf, page, doc, collectMetricCards(views), cardsWindow(views), startPage);
  const contents: ContentsEntry[] = [];
  const currentPage = () => pdf.bufferedPageRange().start + pdf.bufferedPageRange().count;
  const charts: DrawnChart[] = [];
  const numbers: string[] = [];
  const notes = new NoteOnce();
  let rowCount = 0;
  let tableGroups = 0;
  // Cards that ran onto a second page leave the rest of it to the views.
  let y = cover.continued ? cover.bottom : startPage();
  for (const view of views) {
    const presentation = viewPresentation(view);
    if (presentation === 'chart') {
      // Laid out as wide as the page in proportion (a landscape page is wider, not a bigger
      // picture); small multiples (series of different scales) get the height they need, up to a page.
      const pxWidth = Math.round((CHART_PX.width * page.contentWidth) / PORTRAIT_CONTENT_WIDTH);
      const pxHeight = preferredChartHeight(view.chart, view.data.rows, CHART_PX.height);
      const height = Math.min((page.contentWidth * pxHeight) / pxWidth, page.contentBottom - page.top - 80);
      const width = page.contentWidth;
      const note = notes.forView(view);
      if (y + headingHeight(pdf, page, note) + height > page.contentBottom) y = startPage();
      contents.push({ title: view.name, page: currentPage() });
      y = drawHeading(pdf, page, view.name, note, y);
      const svg = renderChartSvg(view.chart, view.data.rows, { width: pxWidth, height: pxHeight, showTitle: false });
      drawSvgOnPdf(pdf, prepareSvgForPdf(svg), page.left, y, width, height);
      charts.push({
        viewKey: view.key,
        title: view.name,
        sourceRows: view.data.rows.length,
        plottedValues: countPlottableValues(view.chart, view.data.rows),
        dataElements: countChartDataElements(svg),
      });
      y += height + 28;
    } else if (presentation === 'table') {
      // The heading and its note stay with the table's first rows.
      const note = notes.forView(view);
      if (y + headingHeight(pdf, page, note) + 120 > page.contentBottom) y = startPage();
      contents.push({ title: view.name, page: currentPage() });
      y = drawHeading(pdf, page, view.name, note, y);
      const table = drawPdfTable(pdf, view, y, {
        x: page.left,
        width: page.contentWidth,
        bottom: () => page.contentBottom,
        newPage: () => drawHeading(pdf, page, `${view.name} (continued)`, undefined, startPage()),
      });
      rowCount += table.rowsDrawn;
      tableGroups += table.groups;
      numbers.push(...table.numbers);
      y = table.y + 28;
    }
  }
  contents.push({ title: 'Insights', page: drawInsights(pdf, page, doc, y, startPage) });
  if (!cover.continued) drawContents(pdf, page, contents, cover.bottom);
  const pageCount = drawFooters(pdf, page, doc);
  return {
    format: 'pdf', chartCount: charts.length, rowCount, pageCount, charts, numbersDrawn: numbers,
    page: { size: page.size, orientation: page.layout, tableGroups },
  };
}

/** The height drawHeading takes for a one-line title and its note. */
function headingHeight(pdf: PDFKit.PDFDocument, page: PageGeometry, note: string | undefined): number {
  if (!note) return 30;
  pdf.font(PDF_FONT_REGULAR).fontSize(8.5);
  return 30 + pdf.heightOfString(note, { width: page.contentWidth });
}

/**
 * The root loses its px width/height so svg-to-pdfkit scales the viewBox into the box we give it
 * (otherwise px are taken at 0.75 pt and the chart overflows the page).
 */
function prepareSvgForPdf(svg: string): string {
  return svg.replace(/^<svg width="[^"]*" height="[^"]*"/, '<svg');
}
