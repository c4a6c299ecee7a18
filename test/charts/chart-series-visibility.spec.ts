import { createReadStream, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import * as echarts from 'echarts';
import { buildEChartsOption, paletteColor, preferredChartHeight } from '@amc-reports/charts';
import type { BuiltView } from '@amc-reports/contracts';
import { buildFunnelViews, buildPerformanceViews } from '@amc-reports/dashboards';
import { profileCsvStream, profileInlineRows } from '@amc-reports/result-profile';
import { weeklyExecution } from '../../libs/dashboards/test/build-inputs';
import { renderChartSvg } from '../../apps/export-worker/src/renderers/chart-svg';
import { lineSeriesSpans } from './svg-series-spans';

/**
 * "Funnel over time" once put impressions (millions) beside clicks, add to cart and purchases
 * (thousands) on one axis: three lines lay flat on zero in the page, the PDF and the PNG. Charts
 * are rendered here to SVG exactly as the exports render them (and the page draws the same
 * libs/charts option), and every line must cover at least 5 % of its axis' height.
 */
const FIXTURES = join(__dirname, '../../libs/result-profile/test/fixtures');
const MIN_VISIBLE_SHARE = 0.05;
const PDF_WIDTH = 760;

function renderAsPdf(view: BuiltView): string {
  return renderChartSvg(view.chart, view.data.rows, { width: PDF_WIDTH, height: preferredChartHeight(view.chart, view.data.rows, 400), showTitle: false });
}

/** Each series of the view with the share of its axis its line covers. */
function spansOf(view: BuiltView, svg: string): Array<{ series: string; share: number }> {
  const spans = lineSeriesSpans(svg);
  return view.chart.series.map((series, index) => {
    const line = spans.find((span) => span.color === paletteColor(index).toUpperCase());
    return { series: series.label, share: line ? Math.round(line.share * 1000) / 1000 : 0 };
  });
}

const view = (views: BuiltView[], key: string) => views.find((entry) => entry.key === key)!;
/** The series drawn flatter than 5 % of their axis (listed by name, so a failure says which). */
const flattened = (spans: Array<{ series: string; share: number }>) => spans.filter((span) => span.share < MIN_VISIBLE_SHARE);

function performanceWeeks(): ReturnType<typeof weeklyExecution>[] {
  const [columns, ...rows] = parse(readFileSync(join(FIXTURES, 'performance_daily.csv'), 'utf8')) as string[][];
  const typed = rows.map((row) => row.map((cell, index) => (index < 2 ? cell : Number(cell))));
  // Four weekly executions of the daily sample: Oct 1–7, 8–14, 15–21, 22–28.
  return [0, 1, 2, 3].map((week) => {
    const days = typed.filter((row) => {
      const day = Number(String(row[0]).slice(8, 10));
      return day > week * 7 && day <= (week + 1) * 7;
    });
    return weeklyExecution(profileInlineRows(columns, days), week);
  });
}

describe('every series of a chart spans a visible height of its axis', () => {
  let funnel: BuiltView[];
  let performance: BuiltView[];
  let daily: BuiltView;
  beforeAll(async () => {
    const weeks = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((week) => profileCsvStream(createReadStream(join(FIXTURES, `history/funnel_week_0${week}.csv`)))));
    const history = weeks.map((profile, index) => weeklyExecution(profile, index));
    funnel = buildFunnelViews({ latest: history[7], history, settings: { visualization: {}, aggregation: {} } });
    const performanceHistory = performanceWeeks();
    performance = buildPerformanceViews({ latest: performanceHistory[3], history: performanceHistory, settings: { visualization: {}, aggregation: {} } });
    const month = weeklyExecution(await profileCsvStream(createReadStream(join(FIXTURES, 'performance_daily.csv'))), 0);
    daily = view(buildPerformanceViews({ latest: month, history: [month], settings: { visualization: {}, aggregation: {} } }), 'performance.daily');
  });

  it.each(['funnel.history', 'funnel.history-rates'])('%s: no line under 5 %% of its axis', (key) => {
    const chart = view(funnel, key);
    const spans = spansOf(chart, renderAsPdf(chart));
    expect(spans.length).toBe(chart.chart.series.length);
    expect(flattened(spans)).toEqual([]);
  });

  it('funnel over time: impressions, clicks, detail page views, add to cart, purchases and the purchase rate each get a panel or axis fit to them', () => {
    const chart = view(funnel, 'funnel.history');
    expect(chart.chart.series.map((series) => series.label)).toEqual([
      'Impressions', 'Clicks', 'Detail page views', 'Add to cart', 'Purchases', 'Purchase rate (of impressions)',
    ]);
    const option = buildEChartsOption(chart.chart, chart.data.rows, { width: PDF_WIDTH, height: preferredChartHeight(chart.chart, chart.data.rows, 400) });
    // Impressions (≈8 M) | clicks, detail page views and add to cart (within 10× of the clicks' peak) | purchases | a percent.
    expect((option.yAxis as Array<{ name: string }>).map((axis) => axis.name)).toEqual([
      'Impressions', 'Clicks · Detail page views · Add to cart', 'Purchases', 'Purchase rate (of impressions)',
    ]);
    expect(flattened(spansOf(chart, renderAsPdf(chart)))).toEqual([]);
  });

  it.each(['performance.history'])('%s: no line under 5 %% of its axis', (key) => {
    const chart = view(performance, key);
    const spans = spansOf(chart, renderAsPdf(chart));
    expect(spans.map((span) => span.series)).toEqual(['Sales', 'Spend', 'Return on ad spend (ROAS)']);
    expect(flattened(spans)).toEqual([]);
  });

  it('performance by day: sales, spend and ROAS over 31 days, no line under 5 % of its axis, days labelled with their month', () => {
    const svg = renderAsPdf(daily);
    expect(flattened(spansOf(daily, svg))).toEqual([]);
    expect(svg).toMatch(/>Oct \d{1,2}</);
  });

  it('would catch a flattened line: the same funnel rows on one shared axis leave clicks and purchases under 5 %', () => {
    const chart = view(funnel, 'funnel.history');
    // The old layout: every volume on one y axis starting at zero.
    const series = chart.chart.series.slice(0, 5);
    const option = {
      animation: false,
      grid: { left: 72, right: 24, top: 40, bottom: 60 },
      xAxis: { type: 'category' as const, data: chart.data.rows.map((row) => String(row.window)) },
      yAxis: { type: 'value' as const },
      series: series.map((entry, index) => ({ type: 'line' as const, color: paletteColor(index), data: chart.data.rows.map((row) => row[entry.field] as number) })),
    };
    const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: PDF_WIDTH, height: 400 });
    try {
      instance.setOption(option);
      const spans = spansOf({ ...chart, chart: { ...chart.chart, series } }, instance.renderToSVGString());
      expect(spans.filter((span) => span.share < MIN_VISIBLE_SHARE).map((span) => span.series)).toEqual(expect.arrayContaining(['Add to cart', 'Purchases']));
    } finally {
      instance.dispose();
    }
  });
});

