import { buildEChartsOption, preferredChartHeight } from '@amc-reports/charts';
import type { EChartsOption } from 'echarts';
import type { DashboardView } from '../api-types';

const FONT = 'Inter, "Segoe UI", "Noto Sans JP", system-ui, -apple-system, sans-serif';

const CARTESIAN_KINDS = ['line', 'area', 'bar', 'stacked-bar', 'scatter'];
/** The page's chart height for one panel; small multiples get more (libs/charts decides how much). */
const BASE_HEIGHT = { default: 300, funnel: 320 };

/** A chart over executions (history) or dates gets zoom and pan; categories such as campaigns do not. */
export function isTimeSeries(view: DashboardView): boolean {
  const { chart } = view;
  if (!CARTESIAN_KINDS.includes(chart.kind)) return false;
  return chart.x?.type === 'time' || (view.data?.history?.length ?? 0) > 1;
}

export function chartHeight(view: DashboardView): number {
  const base = view.chart.kind === 'funnel' ? BASE_HEIGHT.funnel : BASE_HEIGHT.default;
  return preferredChartHeight(view.chart, view.data?.rows ?? [], base) + (isTimeSeries(view) ? 32 : 0);
}

/**
 * libs/charts' option (the one the PDF is drawn from), laid out for the card's size with the
 * legend on top (toggling series), plus what only a screen needs: zoom on time series and a
 * tooltip the page styles. Data, axes, panels, formats and colours are libs/charts' own.
 */
export function browserChartOption(view: DashboardView, width: number, height: number): EChartsOption {
  // Readers who ask their system for less motion get charts drawn at once.
  const animation = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const zoom = isTimeSeries(view);
  // The zoom slider sits under the chart: libs/charts lays the plot out above it.
  const base = buildEChartsOption(view.chart, view.data?.rows ?? [], { animation, width, height: height - (zoom ? 32 : 0), showTitle: false, legend: 'top' });
  const option: EChartsOption = { ...base, textStyle: { fontFamily: FONT }, aria: { enabled: true } };
  const tooltip = base.tooltip && !Array.isArray(base.tooltip) ? base.tooltip : {};
  option.tooltip = {
    ...tooltip,
    className: 'chart-tooltip',
    confine: true,
    backgroundColor: '#ffffff',
    borderColor: '#d9dce3',
    textStyle: { color: '#1f2430', fontFamily: FONT, fontSize: 12 },
  };
  const legend = base.legend && !Array.isArray(base.legend) ? base.legend : null;
  if (legend) option.legend = { ...legend, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { fontFamily: FONT, color: '#5f6673' } };
  if (zoom) {
    option.dataZoom = [
      { type: 'inside', xAxisIndex: 'all', filterMode: 'none' },
      { type: 'slider', xAxisIndex: 'all', height: 18, bottom: 8, filterMode: 'none', brushSelect: false, borderColor: '#d9dce3' },
    ];
  }
  return option;
}
