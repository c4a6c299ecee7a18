import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { preferredChartHeight } from '@amc-reports/charts';
import { countChartDataElements, countPlottableValues, renderChartSvg } from './chart-svg';
import {
  type DrawnChart,
  type ExportDocument,
  cellValue,
  formatCell,
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

export interface DashboardSvg {
  svg: string;
  width: number;
  height: number;
  /** Chart areas in the SVG's own units. */
  charts: DrawnChart[];
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
  let y = drawHeader(parts, doc, options.single ? views[0] : undefined, width);

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
      parts.push(`<rect x="${round(x)}" y="${top}" width="4" height="${CARD_HEIGHT}" fill="${REPORT_COLORS.accent}"/>`);
      parts.push(svgText(truncateText(card.label, cardWidth - 36, 13), x + 20, top + 16, { size: 13, fill: REPORT_COLORS.muted }));
      parts.push(svgText(truncateText(card.value, cardWidth - 36, 26, true), x + 20, top + 40, { size: 26, fill: REPORT_COLORS.ink, bold: true }));
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

  for (const view of viewsDrawnAs(views, 'table')) {
    y = drawTable(parts, view, y, inner, options.single ? 30 : 10, options.single ? undefined : view.name);
  }
  const showInsights = options.single ? viewPresentation(views[0]) === 'insight' : doc.insights.length > 0;
  if (showInsights) y = drawInsights(parts, doc, y, inner, options.single ? undefined : 'Insights');

  parts.push(svgText(`Generated ${formatTimestamp(doc.report.generatedAt)} · amc-reports`, PAD, y + 4, { size: 11, fill: REPORT_COLORS.faint }));
  const height = Math.ceil(y + 36);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Noto Sans JP">`,
    `<rect width="${width}" height="${height}" fill="${REPORT_COLORS.background}"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
  return { svg, width, height, charts };
}

function drawHeader(parts: string[], doc: ExportDocument, view: BuiltView | undefined, width: number): number {
  const { report } = doc;
  const title = view ? view.name : report.name;
  const subtitle = view
    ? `${report.name} · ${formatTimeWindow(report)}`
    : `${report.workflowName} · ${formatTimeWindow(report)} · ${report.dashboardType} dashboard`;
  parts.push(`<rect width="${width}" height="104" fill="${REPORT_COLORS.band}"/>`);
  parts.push(`<rect y="104" width="${width}" height="4" fill="${REPORT_COLORS.accent}"/>`);
  parts.push(svgText(truncateText(title, width - PAD * 2, 26, true), PAD, 22, { size: 26, fill: REPORT_COLORS.bandText, bold: true }));
  parts.push(svgText(truncateText(subtitle, width - PAD * 2, 14), PAD, 64, { size: 14, fill: REPORT_COLORS.bandMuted }));
  return 108 + PAD;
}

function drawTable(parts: string[], view: BuiltView, top: number, inner: number, maxRows: number, title: string | undefined): number {
  // Headers fall back to field names (AMC column names): user text too.
  const columns = viewColumns(view).map((column) => ({ ...column, label: printableText(column.label) }));
  const rows = view.data.rows.slice(0, maxRows);
  const natural = columns.map((column) => {
    const texts = [column.label, ...rows.map((row) => formatCell(cellValue(row, column), column))];
    return Math.min(320, Math.max(...texts.map((text) => measureText(text, 13))) + 24);
  });
  const total = natural.reduce((sum, value) => sum + value, 0);
  const widths = natural.map((value) => (value / total) * inner);
  const numeric = columns.map((column) => column.format !== undefined || view.data.rows.every((row) => typeof row[column.field] !== 'string'));
  if (title) parts.push(svgText(title, PAD, top, { size: 16, fill: REPORT_COLORS.ink, bold: true }));
  let y = title ? top + 32 : top;
  const drawRow = (texts: string[], fill: string | undefined, color: string, bold: boolean, height: number) => {
    if (fill) parts.push(`<rect x="${PAD}" y="${round(y)}" width="${inner}" height="${height}" fill="${fill}"/>`);
    let x = PAD;
    texts.forEach((text, index) => {
      const fitted = truncateText(text, widths[index] - 20, 13, bold);
      const anchorX = numeric[index] ? x + widths[index] - 10 : x + 10;
      parts.push(svgText(fitted, anchorX, y + (height - 13 * 1.2) / 2, { size: 13, fill: color, bold, anchor: numeric[index] ? 'end' : 'start' }));
      x += widths[index];
    });
    y += height;
  };
  drawRow(columns.map((column) => column.label), REPORT_COLORS.headerFill, REPORT_COLORS.headerText, true, 32);
  rows.forEach((row, index) => drawRow(columns.map((column) => formatCell(cellValue(row, column), column)), index % 2 ? REPORT_COLORS.zebra : undefined, REPORT_COLORS.ink, false, TABLE_ROW));
  const hidden = view.data.rows.length - rows.length;
  if (hidden > 0) {
    parts.push(svgText(`… and ${hidden} more ${hidden === 1 ? 'row' : 'rows'} (CSV and Excel exports hold them all)`, PAD + 10, y + 8, { size: 12, fill: REPORT_COLORS.faint }));
    y += 28;
  }
  return y + GAP * 1.5;
}

function drawInsights(parts: string[], doc: ExportDocument, top: number, inner: number, title: string | undefined): number {
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
    parts.push(`<rect x="${round(barX)}" y="${y + 7}" width="${round(Math.max(3, 72 * score))}" height="6" rx="3" fill="${REPORT_COLORS.accent}"/>`);
    parts.push(svgText(`Confidence ${formatConfidence(insight.confidenceScore)}`, barX + 80, y + 3, { size: 12, fill: REPORT_COLORS.muted }));
    lines.forEach((line, index) => parts.push(svgText(line, PAD + 16, y + 30 + index * 22, { size: 15, fill: REPORT_COLORS.ink })));
    y += blockHeight + 16;
  }
  return y + GAP;
}
