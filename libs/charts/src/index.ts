export type { ChartAxis, ChartKind, ChartRow, ChartSeries, ChartSpec, ValueFormat } from './chart-spec';
export { CHART_KINDS, VALUE_FORMATS } from './chart-spec';
export { buildEChartsOption } from './build-echarts-option';
export type { BuildEChartsOptionOptions } from './build-echarts-option';
export { preferredChartHeight } from './cartesian-chart';
export { groupSeriesByScale, layoutPanels, SCALE_SPLIT_RATIO, type ChartPanel, type SeriesGroup } from './scale-groups';
export { formatDayLabel } from './category-axis';
export { formatValue, MISSING_VALUE_TEXT } from './format-value';
export { OKABE_ITO_PALETTE, paletteColor } from './palette';
