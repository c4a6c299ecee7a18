import { buildEChartsOption } from '@amc-reports/charts';
import type { ChartRow, ChartSpec } from '@amc-reports/charts/src/chart-spec';
import * as echarts from 'echarts';
import { REPORT_FONT_FAMILY } from './fonts';

export interface ChartSvgOptions {
  width: number;
  height: number;
  /** Off when the page draws the view's name as its own heading (PDF, PNG). Default on. */
  showTitle?: boolean;
}

/** Applied under every option: the bundled font (resvg and pdfkit know no other) and no animation. */
const EXPORT_THEME = {
  animation: false,
  textStyle: { fontFamily: REPORT_FONT_FAMILY },
  title: { textStyle: { fontFamily: REPORT_FONT_FAMILY }, subtextStyle: { fontFamily: REPORT_FONT_FAMILY } },
  legend: { textStyle: { fontFamily: REPORT_FONT_FAMILY } },
};

const NO_DATA_NOTE = {
  graphic: {
    type: 'text',
    left: 'center',
    top: 'middle',
    style: { text: 'No data for this period', fill: '#8a8f98', fontSize: 14, fontFamily: REPORT_FONT_FAMILY },
  },
};

/**
 * One chart as an SVG string through ECharts' server-side renderer, from the same option the
 * browser draws (libs/charts), so exports and the page agree. The instance is disposed whatever
 * happens: a leaked instance keeps its whole scene graph alive in a long-running worker.
 */
export function renderChartSvg(spec: ChartSpec, rows: ChartRow[], size: ChartSvgOptions): string {
  const chart = echarts.init(null, EXPORT_THEME, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    // Laid out by libs/charts for this size: axes per scale, small multiples, label widths.
    chart.setOption(buildEChartsOption(spec, rows, { animation: false, width: size.width, height: size.height, showTitle: size.showTitle ?? true }));
    if (rows.length === 0) chart.setOption(NO_DATA_NOTE);
    return separateLabelHalos(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * Labels inside coloured shapes get a halo: a stroke painted under the glyphs via paint-order.
 * Neither svg-to-pdfkit nor resvg honours paint-order (the stroke would cover the text), so the
 * halo becomes its own text element drawn first, and the label is drawn over it without a stroke.
 */
export function separateLabelHalos(svg: string): string {
  return svg.replace(/<text\b([^>]*paint-order="stroke"[^>]*)>([\s\S]*?)<\/text>/g, (_element, attributes: string, content: string) => {
    const plain = attributes.replace(/ (?:stroke|stroke-width|stroke-miterlimit|paint-order)="[^"]*"/g, '');
    const stroke = / stroke="([^"]*)"/.exec(attributes)?.[1];
    if (!stroke || stroke === 'none') return `<text${plain}>${content}</text>`;
    const halo = attributes.replace(/ paint-order="[^"]*"/, '').replace(/ fill="[^"]*"/, ` fill="${stroke}"`);
    return `<text${halo} stroke-linejoin="round">${content}</text><text${plain}>${content}</text>`;
  });
}

const CHART_ELEMENT = /<(?:path|rect|polygon|polyline|circle|ellipse)\b[^>]*\becmeta_ssr_type="chart"[^>]*>/g;
const CLIPPED_GROUP = /<g clip-path="[^"]*">([\s\S]*?)<\/g>/g;
const DRAWN_PATH = /<path d="M[^"]+"/g;

/**
 * Series shapes in an ECharts SVG: elements ECharts tags as chart data (bars, symbols, slices,
 * funnel stages) plus the non-empty paths in series clip groups (lines and areas drawn without
 * symbols). Axes, grid lines, titles and legend icons are not counted, so a chart whose rows
 * mapped to nothing counts 0 even though it still has a frame.
 */
export function countChartDataElements(svg: string): number {
  let count = svg.match(CHART_ELEMENT)?.length ?? 0;
  for (const group of svg.matchAll(CLIPPED_GROUP)) {
    if (!group[1].includes('ecmeta_ssr_type="chart"')) count += group[1].match(DRAWN_PATH)?.length ?? 0;
  }
  return count;
}

/**
 * Numbers the chart's series can plot: the data side of the blank-chart check. ECharts still draws
 * funnel stages at their minimum size when every value is null, so shapes alone do not prove data.
 */
export function countPlottableValues(spec: ChartSpec, rows: ChartRow[]): number {
  const fields = spec.kind === 'pie' || spec.kind === 'funnel' ? spec.series.slice(0, 1).map((series) => series.field) : spec.series.map((series) => series.field);
  let count = 0;
  for (const row of rows) for (const field of fields) if (typeof row[field] === 'number' && Number.isFinite(row[field])) count += 1;
  return count;
}
