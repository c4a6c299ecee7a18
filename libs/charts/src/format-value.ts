/**
 * Number formatting lives in the metric layer (libs/metrics), so a number reads the same in the
 * page, the PDF, the PNG and an insight; charts re-export it for their consumers.
 */
export { formatValue, MISSING_VALUE_TEXT } from '@amc-reports/metrics/src/format-value';
