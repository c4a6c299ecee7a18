/**
 * A neutral chart specification: what to draw, not how. `libs/charts` turns a spec plus its
 * rows into an ECharts option; the same option drives server-side SVG (exports) and the browser,
 * so a PDF and the page never disagree (DESIGN §6).
 */
export const CHART_KINDS = ['line', 'bar', 'stacked-bar', 'area', 'pie', 'funnel', 'scatter', 'table', 'metric'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export { VALUE_FORMATS, type ValueFormat } from '@amc-reports/metrics/src/format-value';
import type { ValueFormat } from '@amc-reports/metrics/src/format-value';

export interface ChartAxis {
  /** The row field that holds the x value / category / slice name. */
  field: string;
  label?: string;
  type: 'category' | 'time' | 'value';
}

export interface ChartSeries {
  /** The row field that holds this series' value. */
  field: string;
  label: string;
  format?: ValueFormat;
  /**
   * A hint that this series is a rate next to volumes (a line over bars). Which axis or panel a
   * series goes on is decided from the data (see scale-groups.ts), never from this flag alone.
   */
  secondaryAxis?: boolean;
  /** The metric-catalogue id of the value (libs/metrics), when it is one: its formula and direction. */
  metric?: string;
}

export interface ChartSpec {
  kind: ChartKind;
  title: string;
  x?: ChartAxis;
  series: ChartSeries[];
  /** Default format for values without their own. */
  format?: ValueFormat;
  /** ISO 4217 code money is shown in (default USD). */
  currency?: string;
}

/** One data row of a view: plain JSON values only (it is stored in jsonb). */
export type ChartRow = Record<string, string | number | boolean | null>;
