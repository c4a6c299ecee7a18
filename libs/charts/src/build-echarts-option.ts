import type { DatasetComponentOption, DefaultLabelFormatterCallbackParams, EChartsOption, SeriesOption } from 'echarts';
import { formatValue } from '@amc-reports/metrics/src/format-value';
import { buildCartesianChart } from './cartesian-chart';
import type { ChartRow, ChartSpec } from './chart-spec';
import { OKABE_ITO_PALETTE } from './palette';

export interface BuildEChartsOptionOptions {
  /**
   * Off unless asked for: server-side rendering (exports) must draw the final frame at once, and a
   * deterministic option is easier to test. The browser passes `{ animation: true }`.
   */
  animation?: boolean;
  /** The drawing size in px: axes, panels and label widths are laid out for it (default 760 × 400, the PDF's). */
  width?: number;
  height?: number;
  /** Off when the page around the chart shows the view's name (PDF, PNG, the browser card). Default on. */
  showTitle?: boolean;
  /** The page puts the legend on top (toggles next to the title); exports at the bottom. */
  legend?: 'top' | 'bottom';
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
  const showTitle = options.showTitle ?? true;
  const dimensions = datasetDimensions(spec);
  const dataset: DatasetComponentOption = {
    dimensions,
    source: rows.map((row) => dimensions.map((field) => toDatasetCell(row[field]))),
    // The dimensions are named above: without this ECharts takes a first row with no number (a
    // failed week, every value null) for a header row and drops it from the chart.
    sourceHeader: false,
  };
  const title = { text: spec.title, left: 'center' as const, show: showTitle };

  if (spec.kind === 'table' || spec.kind === 'metric') {
    return { animation, title, dataset };
  }
  const common = { animation, color: [...OKABE_ITO_PALETTE], title, dataset };
  if (spec.kind === 'pie' || spec.kind === 'funnel') {
    return { ...common, ...buildSliceChart(spec, dimensions, showTitle, options.legend ?? 'bottom') };
  }
  return {
    ...common,
    ...buildCartesianChart(spec, rows, { width: options.width ?? 760, height: options.height ?? 400, showTitle, legend: options.legend ?? 'bottom' }),
  };
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

/** Pie and funnel draw one series: the first of the spec (a second ring or funnel would mislead). */
function buildSliceChart(spec: ChartSpec, dimensions: string[], showTitle: boolean, legend: 'top' | 'bottom'): Partial<EChartsOption> {
  const series = spec.series[0];
  if (!series || !spec.x) return { series: [] };
  const format = series.format ?? spec.format ?? 'number';
  const currency = spec.currency;
  const valueIndex = dimensions.indexOf(series.field);
  const labelText = (params: DefaultLabelFormatterCallbackParams): string => {
    const row = Array.isArray(params.value) ? params.value : [params.value];
    return `${params.name}: ${formatValue(row[valueIndex], format, { currency })}`;
  };
  const encode = { itemName: spec.x.field, value: series.field };
  const tooltip = { valueFormatter: (value: unknown) => formatValue(Array.isArray(value) ? value[0] : value, format, { currency }) };
  const top = (showTitle ? 40 : 8) + (legend === 'top' ? 32 : 0);
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
          top,
          bottom: legend === 'bottom' ? 40 : 8,
          label: { show: true, position: 'right', color: '#1f2430', formatter: labelText },
          labelLine: { show: true },
          tooltip,
        }
      : {
          type: 'pie',
          name: series.label,
          encode,
          radius: ['35%', '65%'],
          center: ['50%', legend === 'top' ? '56%' : '52%'],
          label: { formatter: labelText },
          tooltip,
        };
  return {
    tooltip: { trigger: 'item' },
    legend: { type: 'scroll', ...(legend === 'top' ? { top: showTitle ? 36 : 0 } : { bottom: 0 }) },
    series: [sliceSeries],
  };
}
