import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { preferredChartHeight } from '@amc-reports/charts';
import { countChartDataElements, countPlottableValues, renderChartSvg } from './chart-svg';
import {
  type DrawnChart,
  type ExportDocument,
  type ExportLogo,
  cellValue,
  formatCell,
  isNumericColumn,
  formatConfidence,
  formatTimestamp,
  formatTimeWindow,
  viewColumns,
  viewPresentation,
  viewsDrawnAs,
} from './export-document';
import { cardsWindow, collectMetricCards } from './metric-cards';
import { REPORT_COLORS, insightColor } from './report-style';
import { printableText } from './printable-text';
import { measureText, round, svgText, truncateText, wrapText } from './svg-text';
import { type MeasureText, columnGroupLabel, keyColumnIndex, layoutTable, wrapCellText } from './table-layout';

export interface DashboardSvg {
  svg: string;
  width: number;
  height: number;
  /** Chart areas in the SVG's own units. */
  charts: DrawnChart[];
  /** Numeric table cells as drawn. */
  numbers: string[];
}

export interface DashboardSvgOptions {
  width: number;
  /** One view on its own: the view's name heads the image and tables show more rows. */
  single: boolean;
}

const PAD = 32;
const GAP = 20;
const CARD_HEIGHT = 88;
const TABLE_ROW = 28;
const LEGEND_STRIP = 32;

/**
 * The dashboard (or one view) as one SVG for resvg: a header, metric cards, charts in a grid of
 * cards, tables (first rows) and insights. Charts are ECharts' own SVG nested in place.
 */
export function composeDashboardSvg(doc: ExportDocument, views: BuiltView[], options: DashboardSvgOptions): DashboardSvg {
  const width = options.width;
  const inner = width - PAD * 2;
  const parts: string[] = [];
  const charts: DrawnChart[] = [];
  const accent = doc.branding?.accentColor ?? REPORT_COLORS.accent;
  let y = drawHeader(parts, doc, options.single ? views[0] : undefined, width, accent);

  const cards = collectMetricCards(views);
  const window = cardsWindow(views);
  if (cards.length > 0 && window) {
    parts.push(svgText(`Key metrics: ${window}`, PAD, y - 12, { size: 12, fill: REPORT_COLORS.muted }));
    y += 10;
  }
  if (cards.length > 0) {
    const perRow = Math.min(cards.length, width >= 900 ? 4 : 2);
    const cardWidth = (inner - GAP * (perRow - 1)) / perRow;
    cards.forEach((card, index) => {
      const x = PAD + (index % perRow) * (cardWidth + GAP);
      const top = y + Math.floor(index / perRow) * (CARD_HEIGHT + GAP);
      parts.push(`<rect x="${round(x)}" y="${top}" width="${round(cardWidth)}" height="${CARD_HEIGHT}" rx="6" fill="${REPORT_COLORS.cardFill}"/>`);
      parts.push(`<rect x="${round(x)}" y="${top}" width="4" height="${CARD_HEIGHT}" fill="${accent}"/>`);
      parts.push(svgText(truncateText(card.label, cardWidth - 36, 13), x + 20, top + 16, { size: 13, fill: REPORT_COLORS.muted }));
      // A number is never cut: it shrinks until it fits.
      let size = 26;
      while (size > 10 && measureText(card.value, size, true) > cardWidth - 36) size -= 1;
      parts.push(svgText(card.value, x + 20, top + 40 + (26 - size) / 2, { size, fill: REPORT_COLORS.ink, bold: true }));
    });

    y += Math.ceil(cards.length / perRow) * (CARD_HEIGHT + GAP) + GAP / 2;
  }

  const chartColumns = !options.single && width >= 900 ? 2 : 1;
  const chartViews = viewsDrawnAs(views, 'chart');
  const cellWidth = (inner - GAP * (chartColumns - 1)) / chartColumns;
  const chartWidth = Math.round(cellWidth - 24);
  const baseHeight = Math.round(chartWidth * (chartColumns === 1 ? 0.5 : 0.6));
  // One view on its own has its name in the header band: its card needs no title of its own.
  const titleHeight = options.single ? 16 : 52;
  // Small multiples (series of different scales) are taller; a grid row is as tall as its tallest chart.
  const heights = chartViews.map((view) => preferredChartHeight(view.chart, view.data.rows, baseHeight));
  let rowTop = y;
  chartViews.forEach((view, index) => {
    const column = index % chartColumns;
    const rowHeights = heights.slice(index - column, index - column + chartColumns);
    const cellHeight = titleHeight + Math.max(...rowHeights) + 12;
    const chartHeight = heights[index];
    const x = PAD + column * (cellWidth + GAP);
    const top = rowTop;
    parts.push(`<rect x="${round(x)}" y="${top}" width="${round(cellWidth)}" height="${cellHeight}" rx="8" fill="#ffffff" stroke="${REPORT_COLORS.rule}"/>`);
    if (!options.single) parts.push(svgText(truncateText(view.name, cellWidth - 32, 16, true), x + 16, top + 16, { size: 16, fill: REPORT_COLORS.ink, bold: true }));
    const chartX = Math.round(x + 12);
    const chartY = top + titleHeight;
    const chartSvg = renderChartSvg(view.chart, view.data.rows, { width: chartWidth, height: chartHeight, showTitle: false });
    parts.push(chartSvg.replace(/^<svg /, `<svg x="${chartX}" y="${chartY}" `));
    charts.push({
      viewKey: view.key,
      title: view.name,
      sourceRows: view.data.rows.length,
      plottedValues: countPlottableValues(view.chart, view.data.rows),
      dataElements: countChartDataElements(chartSvg),
      // The legend strip along the bottom is coloured even when no data is drawn: leave it out.
      area: { x: chartX, y: chartY, width: chartWidth, height: chartHeight - LEGEND_STRIP },
    });
    if (column === chartColumns - 1 || index === chartViews.length - 1) rowTop += cellHeight + GAP;
  });
  if (chartViews.length > 0) y = rowTop;

  const numbers: string[] = [];
  for (const view of viewsDrawnAs(views, 'table')) {
    y = drawTable(parts, view, y, inner, options.single ? PNG_TABLE_ROWS.single : PNG_TABLE_ROWS.dashboard, options.single ? undefined : view.name, numbers);
  }
  const showInsights = options.single ? viewPresentation(views[0]) === 'insight' : doc.insights.length > 0;
  if (showInsights) y = drawInsights(parts, doc, y, inner, options.single ? undefined : 'Insights', accent);

  const footer = doc.branding?.footerText;
  parts.push(svgText(truncateText(`${footer ? `${footer} · ` : ''}Generated ${formatTimestamp(doc.report.generatedAt)} · amc-reports`, inner, 11), PAD, y + 4, { size: 11, fill: REPORT_COLORS.faint }));
  const height = Math.ceil(y + 36);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Noto Sans JP">`,
    `<rect width="${width}" height="${height}" fill="${REPORT_COLORS.background}"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
  return { svg, width, height, charts, numbers };
}

const LOGO = { width: 160, height: 64 };

/** A stored logo as an inline image (a data URL: resvg never fetches anything). */
function logoImage(logo: ExportLogo, x: number, y: number): string {
  return `<image x="${x}" y="${y}" width="${LOGO.width}" height="${LOGO.height}" preserveAspectRatio="xMaxYMid meet" href="data:${logo.contentType};base64,${logo.data.toString('base64')}"/>`;
}

function drawHeader(parts: string[], doc: ExportDocument, view: BuiltView | undefined, width: number, accent: string): number {
  const { report } = doc;
  const reportTitle = doc.branding?.coverTitle ?? report.name;
  const title = view ? view.name : reportTitle;
  const logo = doc.branding?.logo;
  const textWidth = width - PAD * 2 - (logo ? LOGO.width + 16 : 0);
  const subtitle = view
    ? `${reportTitle} · ${formatTimeWindow(report)}`
    : `${report.workflowName} · ${formatTimeWindow(report)} · ${report.dashboardType} dashboard`;
  parts.push(`<rect width="${width}" height="104" fill="${REPORT_COLORS.band}"/>`);
  parts.push(`<rect y="104" width="${width}" height="4" fill="${accent}"/>`);
  if (logo) parts.push(logoImage(logo, width - PAD - LOGO.width, 20));
  parts.push(svgText(truncateText(title, textWidth, 26, true), PAD, 22, { size: 26, fill: REPORT_COLORS.bandText, bold: true }));
  parts.push(svgText(truncateText(subtitle, textWidth, 14), PAD, 64, { size: 14, fill: REPORT_COLORS.bandMuted }));
  return 108 + PAD;
}

/** Rows of a table a PNG shows: a dashboard grid shows the first rows, one view on its own more (CSV and Excel hold them all). */
export const PNG_TABLE_ROWS = { dashboard: 10, single: 30 } as const;

const TABLE_FONT = 13;
const TABLE_LINE = 17;
const CELL_PAD = 10;

/**
 * A table laid out by table-layout at the image's width, with the same rules as the PDF: numbers
 * at the width of their widest value, names wrapped, and what does not fit split into labelled
 * column groups that repeat the key column. Returns the y below it; the numeric cells drawn go to `numbers`.
 */
function drawTable(parts: string[], view: BuiltView, top: number, inner: number, maxRows: number, title: string | undefined, numbers: string[]): number {
  const columns = viewColumns(view);
  const labels = columns.map((column) => printableText(column.label));
  const numeric = columns.map(isNumericColumn);
  const rows = view.data.rows.slice(0, maxRows).map((row) => columns.map((column) => formatCell(cellValue(row, column), column)));
  const measure: MeasureText = (text, bold) => measureText(text, TABLE_FONT, bold);
  const layout = layoutTable(labels.map((label, index) => ({ label, numeric: numeric[index] })), rows, {
    measure, width: inner, padding: CELL_PAD * 2, minTextWidth: 110, maxTextWidth: 320, maxTextLines: 3, maxHeaderLines: 3,
  });
  const key = keyColumnIndex(labels.map((label, index) => ({ label, numeric: numeric[index] })));
  if (title) parts.push(svgText(title, PAD, top, { size: 16, fill: REPORT_COLORS.ink, bold: true }));
  let y = title ? top + 32 : top;
  const drawRow = (cells: string[][], widths: number[], groupNumeric: boolean[], fill: string | undefined, color: string, bold: boolean) => {
    const height = Math.max(...cells.map((lines) => lines.length)) * TABLE_LINE + 12;
    if (fill) parts.push(`<rect x="${PAD}" y="${round(y)}" width="${round(widths.reduce((sum, width) => sum + width, 0))}" height="${height}" fill="${fill}"/>`);
    let x = PAD;
    cells.forEach((lines, index) => {
      const anchorX = groupNumeric[index] ? x + widths[index] - CELL_PAD : x + CELL_PAD;
      lines.forEach((line, lineIndex) => {
        parts.push(svgText(line, anchorX, y + 6 + lineIndex * TABLE_LINE, { size: TABLE_FONT, fill: color, bold, anchor: groupNumeric[index] ? 'end' : 'start' }));
      });
      x += widths[index];
    });
    y += height;
  };
  layout.groups.forEach((group, groupIndex) => {
    const label = columnGroupLabel(groupIndex, layout.groups, labels, key);
    if (label) {
      parts.push(svgText(label, PAD, y, { size: 12, fill: REPORT_COLORS.muted, bold: true }));
      y += 22;
    }
    const groupNumeric = group.columns.map((column) => numeric[column]);
    const inside = (index: number) => group.widths[index] - CELL_PAD * 2;
    drawRow(group.columns.map((column, index) => wrapCellText(labels[column], inside(index), 3, measure, true)), group.widths, groupNumeric, REPORT_COLORS.headerFill, REPORT_COLORS.headerText, true);
    rows.forEach((row, rowIndex) => {
      const cells = group.columns.map((column, index) => (numeric[column] ? [row[column]] : wrapCellText(row[column], inside(index), 3, measure)));
      group.columns.forEach((column, index) => numeric[column] && numbers.push(cells[index][0]));
      drawRow(cells, group.widths, groupNumeric, rowIndex % 2 ? REPORT_COLORS.zebra : undefined, REPORT_COLORS.ink, false);
    });
    y += groupIndex < layout.groups.length - 1 ? 16 : 0;
  });
  const hidden = view.data.rows.length - rows.length;
  if (hidden > 0) {
    parts.push(svgText(`… and ${hidden} more ${hidden === 1 ? 'row' : 'rows'} (CSV and Excel exports hold them all)`, PAD + 10, y + 8, { size: 12, fill: REPORT_COLORS.faint }));
    y += 28;
  }
  return y + GAP * 1.5;
}

function drawInsights(parts: string[], doc: ExportDocument, top: number, inner: number, title: string | undefined, accent: string): number {
  if (title) parts.push(svgText(title, PAD, top, { size: 16, fill: REPORT_COLORS.ink, bold: true }));
  let y = title ? top + 36 : top;
  if (doc.insights.length === 0) {
    parts.push(svgText('No insights for this execution yet.', PAD, y, { size: 14, fill: REPORT_COLORS.faint }));
    return y + 40;
  }
  for (const insight of doc.insights) {
    const color = insightColor(insight.insightType);
    const badge = insight.insightType.toUpperCase();
    const badgeWidth = measureText(badge, 11, true) + badge.length * 0.8 + 16;
    const lines = wrapText(insight.text, inner - 24, 15);
    const blockHeight = 26 + lines.length * 22 + 8;
    parts.push(`<rect x="${PAD}" y="${y}" width="4" height="${blockHeight}" fill="${color}"/>`);
    parts.push(`<rect x="${PAD + 16}" y="${y}" width="${round(badgeWidth)}" height="20" rx="4" fill="${color}"/>`);
    parts.push(svgText(badge, PAD + 24, y + 4, { size: 11, fill: '#ffffff', bold: true, spacing: 0.8 }));
    const barX = PAD + 16 + badgeWidth + 12;
    const score = Math.min(1, Math.max(0, insight.confidenceScore));
    parts.push(`<rect x="${round(barX)}" y="${y + 7}" width="72" height="6" rx="3" fill="${REPORT_COLORS.rule}"/>`);
    parts.push(`<rect x="${round(barX)}" y="${y + 7}" width="${round(Math.max(3, 72 * score))}" height="6" rx="3" fill="${accent}"/>`);
    parts.push(svgText(`Confidence ${formatConfidence(insight.confidenceScore)}`, barX + 80, y + 3, { size: 12, fill: REPORT_COLORS.muted }));
    lines.forEach((line, index) => parts.push(svgText(line, PAD + 16, y + 30 + index * 22, { size: 15, fill: REPORT_COLORS.ink })));
    y += blockHeight + 16;
  }
  return y + GAP;
}
