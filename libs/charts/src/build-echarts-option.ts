import type {
  DatasetComponentOption,
  DefaultLabelFormatterCallbackParams,
  EChartsOption,
  LegendComponentOption,
  SeriesOption,
  YAXisComponentOption,
} from 'echarts';
import type { ChartKind, ChartRow, ChartSeries, ChartSpec, ValueFormat } from './chart-spec';
import { formatValue } from './format-value';
import { OKABE_ITO_PALETTE } from './palette';

export interface BuildEChartsOptionOptions {
  /**
   * Off unless asked for: server-side rendering (exports) must draw the final frame at once, and a
   * deterministic option is easier to test. The browser passes `{ animation: true }`.
   */
  animation?: boolean;
}

type DatasetCell = string | number | null;

/**
 * Turns a neutral chart spec plus its rows into an ECharts option (pure and deterministic: the
 * same input gives a deep-equal option). Data goes through a `dataset` of plain arrays, so the
 * option stays compact and series only say which dimension they encode.
 *
 * `table` and `metric` views are drawn by the consumer as tables / cards: they get the dataset
 * (with the title) and no series.
 */
export function buildEChartsOption(spec: ChartSpec, rows: ChartRow[], options: BuildEChartsOptionOptions = {}): EChartsOption {
  const animation = options.animation ?? false;
  const dimensions = datasetDimensions(spec);
  const dataset: DatasetComponentOption = {
    dimensions,
    source: rows.map((row) => dimensions.map((field) => toDatasetCell(row[field]))),
  };
  const title = { text: spec.title, left: 'center' as const };

  if (spec.kind === 'table' || spec.kind === 'metric') {
    return { animation, title, dataset };
  }
  const common = { animation, color: [...OKABE_ITO_PALETTE], title, dataset };
  if (spec.kind === 'pie' || spec.kind === 'funnel') {
    return { ...common, ...buildSliceChart(spec, dimensions) };
  }
  return { ...common, ...buildCartesianChart(spec) };
}

function datasetDimensions(spec: ChartSpec): string[] {
  const fields = [...(spec.x ? [spec.x.field] : []), ...spec.series.map((series) => series.field)];
  return [...new Set(fields)];
}

function toDatasetCell(value: ChartRow[string] | undefined): DatasetCell {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  // ECharts datasets hold strings and numbers only.
  if (typeof value === 'boolean') return String(value);
  return value;
}

function seriesFormat(spec: ChartSpec, series: ChartSeries | undefined): ValueFormat {
  return series?.format ?? spec.format ?? 'number';
}

function formatterFor(format: ValueFormat): (value: unknown) => string {
  return (value: unknown) => formatValue(Array.isArray(value) ? value[0] : value, format);
}

function legendFor(seriesCount: number): LegendComponentOption | undefined {
  return seriesCount > 1 ? { type: 'scroll', bottom: 0 } : undefined;
}

/** Pie and funnel draw one series: the first of the spec (a second ring or funnel would mislead). */
function buildSliceChart(spec: ChartSpec, dimensions: string[]): Partial<EChartsOption> {
  const series = spec.series[0];
  if (!series || !spec.x) return { series: [] };
  const format = seriesFormat(spec, series);
  const valueIndex = dimensions.indexOf(series.field);
  const labelText = (params: DefaultLabelFormatterCallbackParams): string => {
    const row = Array.isArray(params.value) ? params.value : [params.value];
    return `${params.name}: ${formatValue(row[valueIndex], format)}`;
  };
  const encode = { itemName: spec.x.field, value: series.field };
  const tooltip = { valueFormatter: formatterFor(format) };
  const sliceSeries: SeriesOption =
    spec.kind === 'funnel'
      ? {
          type: 'funnel',
          name: series.label,
          encode,
          // Stages keep their declared order; the smallest still gets a readable width.
          sort: 'none',
          minSize: '8%',
          gap: 2,
          // Labels beside the stages: inside, the narrow lower stages cut them off.
          left: '4%',
          width: '60%',
          label: { show: true, position: 'right', color: '#1f2430', formatter: labelText },
          labelLine: { show: true },
          tooltip,
        }
      : {
          type: 'pie',
          name: series.label,
          encode,
          radius: ['35%', '65%'],
          center: ['50%', '52%'],
          label: { formatter: labelText },
          tooltip,
        };
  return {
    tooltip: { trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    series: [sliceSeries],
  };
}

function cartesianSeriesType(kind: ChartKind, series: ChartSeries): 'line' | 'bar' | 'scatter' {
  if (kind === 'scatter') return 'scatter';
  // A rate drawn against the secondary axis of a bar chart reads best as a line over the bars.
  if ((kind === 'bar' || kind === 'stacked-bar') && !series.secondaryAxis) return 'bar';
  return 'line';
}

function buildCartesianChart(spec: ChartSpec): Partial<EChartsOption> {
  const primary = spec.series.find((series) => !series.secondaryAxis) ?? spec.series[0];
  const secondary = spec.series.find((series) => series.secondaryAxis);
  const valueAxis = (format: ValueFormat, splitLine: boolean): YAXisComponentOption => ({
    type: 'value',
    axisLabel: { formatter: formatterFor(format) },
    splitLine: { show: splitLine },
  });
  const yAxis: YAXisComponentOption[] = [valueAxis(seriesFormat(spec, primary), true)];
  if (secondary) yAxis.push(valueAxis(seriesFormat(spec, secondary), false));

  const xAxisType = spec.x?.type ?? 'category';
  const series: SeriesOption[] = spec.series.map((entry) => {
    const type = cartesianSeriesType(spec.kind, entry);
    const encode = spec.x ? { x: spec.x.field, y: entry.field } : { y: entry.field };
    const shared = {
      name: entry.label,
      encode,
      yAxisIndex: entry.secondaryAxis && secondary ? 1 : 0,
      tooltip: { valueFormatter: formatterFor(seriesFormat(spec, entry)) },
    };
    if (type === 'bar') {
      return { type, ...shared, ...(spec.kind === 'stacked-bar' ? { stack: 'total' } : {}) };
    }
    if (type === 'scatter') return { type, ...shared, symbolSize: 8 };
    return {
      type,
      ...shared,
      // Gaps stay gaps: a NULL (withheld) value must not look like a straight line through it.
      connectNulls: false,
      ...(spec.kind === 'area' && !entry.secondaryAxis ? { areaStyle: { opacity: 0.25 } } : {}),
    };
  });

  const legend = legendFor(spec.series.length);
  return {
    tooltip: { trigger: spec.kind === 'scatter' ? 'item' : 'axis' },
    ...(legend ? { legend } : {}),
    grid: { left: 56, right: secondary ? 64 : 24, top: 56, bottom: legend ? 64 : 40 },
    xAxis: {
      type: xAxisType,
      ...(spec.x?.label ? { name: spec.x.label, nameLocation: 'middle' as const, nameGap: 28 } : {}),
      ...(xAxisType === 'category' ? { axisLabel: { hideOverlap: true } } : {}),
    },
    yAxis,
    series,
  };
}
