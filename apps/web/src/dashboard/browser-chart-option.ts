import { buildEChartsOption } from '@amc-reports/charts';
import type { EChartsOption } from 'echarts';
import type { DashboardView } from '../api-types';

const FONT = 'Inter, "Segoe UI", "Noto Sans JP", system-ui, -apple-system, sans-serif';

const CARTESIAN_KINDS = ['line', 'area', 'bar', 'stacked-bar', 'scatter'];

/** A chart over executions (history) or dates gets zoom and pan; categories such as campaigns do not. */
export function isTimeSeries(view: DashboardView): boolean {
  const { chart } = view;
  if (!CARTESIAN_KINDS.includes(chart.kind)) return false;
  return chart.x?.type === 'time' || (view.data?.history?.length ?? 0) > 1;
}

/**
 * libs/charts' option (the one the PDF is drawn from) with what only a screen needs: the card
 * shows the title, the legend moves to the top (toggling series), time series get zoom, and the
 * tooltip gets a class the page styles. Data, formats and colours are untouched.
 */
export function browserChartOption(view: DashboardView, width: number): EChartsOption {
  // Readers who ask their system for less motion get charts drawn at once.
  const animation = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const base = buildEChartsOption(view.chart, view.data?.rows ?? [], { animation });
  const option: EChartsOption = { ...base, title: { show: false }, textStyle: { fontFamily: FONT }, aria: { enabled: true } };
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
  if (legend) option.legend = { ...legend, top: 0, bottom: undefined, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { fontFamily: FONT, color: '#5f6673' } };

  const grid = base.grid && !Array.isArray(base.grid) ? base.grid : null;
  if (grid) {
    const axis = categoryAxisFit(view, width);
    if (axis && base.xAxis && !Array.isArray(base.xAxis)) option.xAxis = { ...base.xAxis, ...axis } as EChartsOption['xAxis'];
    const zoom = isTimeSeries(view);
    const extraLabelLines = axis ? wrappedLines(view, axis.axisLabel.width as number) - 1 : 0;
    option.grid = { ...grid, top: legend ? 44 : 16, bottom: (zoom ? 72 : 40) + extraLabelLines * 16, containLabel: false };
    if (zoom) {
      option.dataZoom = [
        { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
        { type: 'slider', xAxisIndex: 0, height: 18, bottom: 8, filterMode: 'none', brushSelect: false, borderColor: '#d9dce3' },
      ];
    }
  } else if (view.chart.kind === 'funnel' && Array.isArray(base.series) && base.series[0]) {
    // Stages narrower than their label (purchases next to impressions) get the label beside them.
    const [funnel] = base.series as Record<string, unknown>[];
    const label = funnel.label as Record<string, unknown> | undefined;
    option.series = [{ ...funnel, top: 40, bottom: 8, left: '4%', width: '60%', label: { ...label, position: 'right', color: '#1f2430' }, labelLine: { show: true } }];
  } else if (view.chart.kind === 'pie' && Array.isArray(base.series) && base.series[0]) {
    // The legend sits on top here: the ring moves down to clear it.
    option.series = [{ ...(base.series[0] as Record<string, unknown>), center: ['50%', '56%'], radius: ['32%', '60%'] }];
  }
  return option;
}

/** About how many lines the longest category label wraps to (≈7 px per character at 12 px). */
function wrappedLines(view: DashboardView, width: number): number {
  const field = view.chart.x?.field;
  const longest = Math.max(0, ...(view.data?.rows ?? []).map((row) => String(field ? row[field] ?? '' : '').length));
  return Math.min(3, Math.max(1, Math.ceil((longest * 7) / Math.max(width, 1))));
}

/**
 * Every category label shown, wrapped to its slot, while the slots are wide enough to read
 * (step names such as "Clicks → Add to cart" would otherwise be hidden as overlapping).
 */
export function categoryAxisFit(view: DashboardView, width: number): { axisLabel: Record<string, unknown> } | null {
  const count = view.data?.rows.length ?? 0;
  if (!CARTESIAN_KINDS.includes(view.chart.kind) || (view.chart.x?.type ?? 'category') !== 'category' || count === 0 || width === 0) return null;
  const slot = Math.floor((width - 100) / count);
  if (slot < 56) return null;
  return { axisLabel: { interval: 0, width: slot - 8, overflow: 'break', lineHeight: 15, margin: 10, hideOverlap: false, color: '#5f6673' } };
}
