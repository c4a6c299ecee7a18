import type { DashboardView } from '../api-types';
import { h } from '../dom';
import { browserChartOption, chartHeight, isTimeSeries } from './browser-chart-option';
import { echarts, type ChartInstance } from './echarts-runtime';
import { createSortableTable } from './sortable-table';
import { createViewCard, type ViewPanel } from './view-card';

/**
 * A chart view: ECharts (SVG) drawing libs/charts' option, with tooltips, legend toggles and zoom
 * on time series; the same numbers as a sortable table under "Show the numbers" for keyboard and
 * screen-reader readers.
 */
export function createChartPanel(initial: DashboardView): ViewPanel {
  let view = initial;
  const card = createViewCard(view, isTimeSeries(view));
  const canvas = h('div', { class: `chart chart-${view.chart.kind}`, attrs: { role: 'img', 'aria-label': `${view.name} chart` } });
  // Series of different scales are drawn as small multiples: the chart grows to hold them.
  canvas.style.height = `${chartHeight(view)}px`;
  const table = createSortableTable(view.chart, `${view.name}: the numbers`, view.data?.formulas, view.data?.comparisonFields);
  const details = h('details', { class: 'chart-numbers' }, h('summary', null, 'Show the numbers'), table.element);
  card.body.append(canvas, details);
  card.setFootnotes(view);
  table.update(view.data?.rows ?? []);

  let chart: ChartInstance | null = null;
  // Initialised once the element has a size (it may be built before it is attached).
  const resizes = new ResizeObserver(() => {
    const width = canvas.clientWidth;
    if (width === 0) return;
    if (!chart) {
      chart = echarts.init(canvas, null, { renderer: 'svg' });
      // data-rendered: the chart is drawn and its animation over (screenshots, tests, exports of the page).
      chart.on('finished', () => {
        canvas.dataset.rendered = 'true';
      });
      chart.setOption(browserChartOption(view, width, canvas.clientHeight));
      return;
    }
    // Laid out again for the new width (label widths, panels); legend toggles and zoom are reset.
    chart.resize();
    chart.setOption(browserChartOption(view, width, canvas.clientHeight), { notMerge: true });
  });
  resizes.observe(canvas);

  return {
    element: card.element,
    update(next) {
      view = next;
      // notMerge: a series that disappeared must not linger from the previous option.
      canvas.style.height = `${chartHeight(view)}px`;
      if (chart) {
        canvas.dataset.rendered = 'false';
        chart.resize();
        chart.setOption(browserChartOption(view, canvas.clientWidth, canvas.clientHeight), { notMerge: true });
      }
      table.update(view.data?.rows ?? []);
      card.setFootnotes(view);
    },
    dispose() {
      resizes.disconnect();
      chart?.dispose();
      chart = null;
    },
  };
}
