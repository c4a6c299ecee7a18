import type { EChartsOption, SeriesOption, XAXisComponentOption, YAXisComponentOption } from 'echarts';
import { formatValue } from '@amc-reports/metrics/src/format-value';
import { categoryAxisLabel, categoryValues, formatTimeTick, horizontalLabelWidth, prefersHorizontalBars } from './category-axis';
import type { ChartKind, ChartRow, ChartSeries, ChartSpec, ValueFormat } from './chart-spec';
import { paletteColor } from './palette';
import { type ChartPanel, groupSeriesByScale, layoutPanels } from './scale-groups';

export interface CartesianLayoutOptions {
  width: number;
  height: number;
  showTitle: boolean;
  legend: 'top' | 'bottom';
}

const LEFT = 72;
const RIGHT_WITH_AXIS = 72;
const RIGHT = 24;
const PANEL_GAP = 44;
const DAY_MS = 86_400_000;

/** How tall a chart wants to be: one base height for one panel, more room per extra small multiple. */
export function preferredChartHeight(spec: ChartSpec, rows: readonly ChartRow[], baseHeight: number): number {
  if (!isCartesian(spec.kind)) return baseHeight;
  const panels = layoutPanels(groupSeriesByScale(spec, rows));
  // Horizontal bars give each name (two lines) a row of its own.
  const singleScale = panels.length === 1 && panels[0].length === 1;
  if (prefersHorizontalBars(spec, categoryValues(spec, rows), singleScale)) return Math.max(baseHeight, 90 + rows.length * 36);
  return panels.length <= 1 ? baseHeight : Math.max(baseHeight, 110 + panels.length * 150);
}

export function isCartesian(kind: ChartKind): boolean {
  return kind === 'line' || kind === 'area' || kind === 'bar' || kind === 'stacked-bar' || kind === 'scatter';
}

function formatterFor(format: ValueFormat, currency: string | undefined): (value: unknown) => string {
  return (value: unknown) => formatValue(Array.isArray(value) ? value[0] : value, format, { currency });
}

/**
 * Axis ticks read evenly ("0.08%", "0.1%") and never repeat: a tick keeps every decimal it has (up
 * to 6 of the shown number), so the ticks of a narrow range (1.150 %, 1.152 %, 1.154 %) stay apart
 * where the two decimals of a single value would print "1.15%" five times.
 */
function tickFormatterFor(format: ValueFormat, currency: string | undefined): (value: unknown) => string {
  const format1 = formatterFor(format, currency);
  if (format === 'integer') return format1;
  if (format === 'currency') return (value: unknown) => format1(value).replace(/\.00(?=\D*$)/, '');
  return (value: unknown) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return format1(value);
    const shown = format === 'percent' ? value * 100 : value;
    const [whole, fraction = ''] = Math.abs(shown).toFixed(6).replace(/\.?0+$/, '').split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    const sign = shown < 0 && (whole !== '0' || fraction !== '') ? '-' : '';
    return `${sign}${grouped}${fraction ? `.${fraction}` : ''}${format === 'percent' ? '%' : ''}`;
  };
}

function seriesType(kind: ChartKind, onFirstAxis: boolean): 'line' | 'bar' | 'scatter' {
  if (kind === 'scatter') return 'scatter';
  // Next to bars, a second scale (a rate beside counts) reads best as a line over the bars.
  if ((kind === 'bar' || kind === 'stacked-bar') && onFirstAxis) return 'bar';
  return 'line';
}

/**
 * Lines, areas, bars and scatters. Series of one scale share an axis; two scales get a left and a
 * right axis (labels in the first series' colour); more become small multiples stacked with a
 * shared x, so no series is ever drawn flat along zero next to one a hundred times larger.
 */
export function buildCartesianChart(spec: ChartSpec, rows: readonly ChartRow[], layout: CartesianLayoutOptions): Partial<EChartsOption> {
  const groups = groupSeriesByScale(spec, rows);
  const panels: ChartPanel[] = layoutPanels(groups);
  const twoAxes = panels.length === 1 && panels[0].length === 2;
  const categories = categoryValues(spec, rows);
  const xType = spec.x?.type ?? 'category';
  const plotWidth = layout.width - LEFT - (twoAxes ? RIGHT_WITH_AXIS : RIGHT);
  const horizontal = prefersHorizontalBars(spec, categories, panels.length === 1 && !twoAxes);
  const legendShown = spec.series.length > 1;
  const top = (layout.showTitle ? 44 : 8) + (legendShown && layout.legend === 'top' ? 32 : 0) + (panels.length > 1 ? 18 : 0);
  const xNameSpace = spec.x?.label && !horizontal ? 22 : 0;
  // Category names wrapped between words take more lines: the plot leaves them room.
  const xLabel = xType === 'category' && !horizontal ? categoryAxisLabel(categories, plotWidth, false) : null;
  const format = xLabel?.formatter as ((value: string, index: number) => string) | undefined;
  const extraLines = format ? Math.max(0, ...categories.map((value, index) => format(value, index).split('\n').length - 1)) : 0;
  const bottom = (legendShown && layout.legend === 'bottom' ? 36 : 4) + 30 + xNameSpace + extraLines * 14;
  const panelHeight = Math.max(40, (layout.height - top - bottom - PANEL_GAP * (panels.length - 1)) / panels.length);
  const colorOf = (series: ChartSeries) => paletteColor(spec.series.indexOf(series));
  const currency = spec.currency;

  const labelWidth = horizontal ? horizontalLabelWidth(layout.width) : 0;
  const grid = panels.map((_, index) => ({
    left: horizontal ? labelWidth + 16 : LEFT,
    right: twoAxes ? RIGHT_WITH_AXIS : RIGHT,
    top: Math.round(top + index * (panelHeight + PANEL_GAP)),
    height: Math.round(panelHeight),
  }));

  const categoryAxis = (index: number, last: boolean): XAXisComponentOption | YAXisComponentOption => {
    const showLabels = last || horizontal;
    if (xType === 'time') {
      return {
        type: 'time',
        gridIndex: index,
        minInterval: DAY_MS,
        axisLabel: { show: showLabels, formatter: (value: number) => formatTimeTick(value), hideOverlap: true },
        ...(last && spec.x?.label ? { name: spec.x.label, nameLocation: 'middle' as const, nameGap: 28 } : {}),
      } as XAXisComponentOption;
    }
    return {
      type: xType === 'value' ? 'value' : 'category',
      gridIndex: index,
      ...(horizontal ? { inverse: true } : {}),
      axisLabel: { show: showLabels, ...(xType === 'category' ? categoryAxisLabel(categories, horizontal ? layout.width : plotWidth, horizontal) : {}) },
      axisTick: { alignWithLabel: true },
      ...(last && spec.x?.label && !horizontal ? { name: spec.x.label, nameLocation: 'middle' as const, nameGap: 30 + extraLines * 14 } : {}),
    } as XAXisComponentOption;
  };
  const valueAxes: YAXisComponentOption[] = [];
  const axisOf = new Map<ChartSeries, number>();
  panels.forEach((panel, panelIndex) => {
    panel.forEach((group, axisIndex) => {
      for (const series of group.series) axisOf.set(series, valueAxes.length);
      const lines = spec.kind === 'line' || spec.kind === 'area';
      // Small multiples name their panel; two axes are told apart by their labels' colours (names would collide).
      const named = panels.length > 1;
      valueAxes.push({
        type: 'value',
        gridIndex: panelIndex,
        position: axisIndex === 0 ? (horizontal ? 'bottom' : 'left') : horizontal ? 'top' : 'right',
        // Lines use the data's range, not one starting at zero: a steady series still shows its movement.
        scale: lines,
        axisLabel: { formatter: tickFormatterFor(group.format, currency), hideOverlap: true, ...(twoAxes ? { color: colorOf(group.series[0]) } : {}) },
        splitLine: { show: axisIndex === 0 },
        ...(named
          ? {
              name: group.series.map((series) => series.label).join(' · '),
              nameLocation: 'end' as const,
              nameGap: 8,
              nameTextStyle: { align: axisIndex === 0 ? ('left' as const) : ('right' as const), color: twoAxes ? colorOf(group.series[0]) : '#5f6673' },
            }
          : {}),
      } as YAXisComponentOption);
    });
  });

  const panelOfAxis = (axis: number) => (valueAxes[axis] as { gridIndex: number }).gridIndex;
  const series: SeriesOption[] = spec.series.map((entry) => {
    const axis = axisOf.get(entry) ?? 0;
    const panel = panelOfAxis(axis);
    const onFirstAxis = panels[panel][0].series.includes(entry);
    const type = seriesType(spec.kind, onFirstAxis);
    const format = entry.format ?? spec.format ?? 'number';
    const encode = spec.x ? (horizontal ? { y: spec.x.field, x: entry.field } : { x: spec.x.field, y: entry.field }) : { y: entry.field };
    const axes = horizontal ? { yAxisIndex: panel, xAxisIndex: axis } : { xAxisIndex: panel, yAxisIndex: axis };
    const shared = { name: entry.label, encode, ...axes, color: colorOf(entry), tooltip: { valueFormatter: formatterFor(format, currency) } };
    if (type === 'bar') return { type, ...shared, ...(spec.kind === 'stacked-bar' ? { stack: 'total' } : {}) };
    if (type === 'scatter') return { type, ...shared, symbolSize: 8 };
    return {
      type,
      ...shared,
      // Gaps stay gaps: a NULL (withheld) value must not look like a straight line through it.
      connectNulls: false,
      ...(spec.kind === 'area' && onFirstAxis ? { areaStyle: { opacity: 0.25 } } : {}),
    };
  });

  const categoryAxes = panels.map((_, index) => categoryAxis(index, index === panels.length - 1));
  return {
    tooltip: { trigger: spec.kind === 'scatter' ? 'item' : 'axis' },
    // Small multiples share x: hovering one panel points at the same category in all of them.
    ...(panels.length > 1 ? { axisPointer: { link: [{ xAxisIndex: 'all' }] } } : {}),
    ...(legendShown ? { legend: { type: 'scroll', ...(layout.legend === 'top' ? { top: layout.showTitle ? 36 : 0 } : { bottom: 0 }) } } : {}),
    grid,
    ...(horizontal ? { xAxis: valueAxes as XAXisComponentOption[], yAxis: categoryAxes as YAXisComponentOption[] } : { xAxis: categoryAxes as XAXisComponentOption[], yAxis: valueAxes }),
    series,
  };
}
