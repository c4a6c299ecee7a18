/**
 * A neutral chart specification: what to draw, not how. `libs/charts` turns a spec plus its
 * rows into an ECharts option; the same option drives server-side SVG (exports) and the browser,
 * so a PDF and the page never disagree (DESIGN §6).
 */
export const CHART_KINDS = ['line', 'bar', 'stacked-bar', 'area', 'pie', 'funnel', 'scatter', 'table', 'metric'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const VALUE_FORMATS = ['integer', 'number', 'percent', 'currency', 'ratio'] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

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
  /** Draw against a second y axis (e.g. a rate next to counts). */
  secondaryAxis?: boolean;
}

export interface ChartSpec {
  kind: ChartKind;
  title: string;
  x?: ChartAxis;
  series: ChartSeries[];
  /** Default format for values without their own. */
  format?: ValueFormat;
}

/** One data row of a view: plain JSON values only (it is stored in jsonb). */
export type ChartRow = Record<string, string | number | boolean | null>;
