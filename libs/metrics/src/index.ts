export type { BaseMetric, ColumnMetric, DerivedMetric, MetricDefinition, MetricUnit, UpIsGood } from './metric-definition';
export { METRIC_UNITS } from './metric-definition';
export { BASE_METRICS, BASE_METRIC_IDS, type BaseMetricId } from './base-metrics';
export { DERIVED_METRICS } from './derived-metrics';
export { METRICS, baseMetric, findMetric, getMetric, inputsOf, isMetricId, ratioMetric } from './catalogue';
export {
  columnMetric, humanizeColumn, isAdditiveColumn, isMetricColumnName, qualifiedLabel, resolveMetricColumns,
  type MetricColumnResolution, type MetricColumns, type ResolvedColumns,
} from './column-aliases';
export { DIMENSION_ALIASES, DIMENSION_ROLES, resolveDimensionColumns, type DimensionColumnResolution, type DimensionRole } from './dimension-aliases';
export {
  MAX_PLAUSIBLE_CPM, SPEND_UNITS, SPEND_UNIT_DIVISORS, SPEND_UNIT_SETTINGS, decideSpendUnit,
  type SpendEvidence, type SpendUnitDecision, type SpendUnitName, type SpendUnitSetting,
} from './spend-unit';
export {
  addSums, addSumsAcrossExecutions, availableMetrics, buildMetricFrame, hasMetric, metricById, metricLabel, metricValue, readSums,
  type MetricFrame, type MetricSettings, type MetricSums, type ProfileLike,
} from './metric-frame';
export { describeFormula, formulaText } from './formula-text';
export {
  CURRENCY_SYMBOLS, DEFAULT_CURRENCY, MISSING_VALUE_TEXT, ZERO_DECIMAL_CURRENCIES, VALUE_FORMATS, cleanFloat, decimalsFor, formatForUnit, formatMetricValue, formatValue, roundMetricValue,
  roundTo, type FormatOptions, type ValueFormat,
} from './format-value';
export { indexTo, relativeChange, shareOf, upliftOver } from './comparisons';
export {
  DEFAULT_TOUCH_MODEL, TOUCH_MODEL_ORDER, chooseTouchModel, normalizeTouchModel, orderTouchModels, scopeProfileToTouchModel, touchModelLabel,
  type TouchModelChoice,
} from './attribution-models';
export { HEADLINE_METRIC_IDS, headlineMetrics } from './headline-metrics';
export { exportHeading, exportNumber, spreadsheetNumberFormat } from './export-columns';
export { catalogueMarkdownTable } from './catalogue-table';
export { parseChannelCount } from './exposure-groups';
