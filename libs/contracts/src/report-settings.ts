import { CHART_KINDS, VALUE_FORMATS } from '@amc-reports/charts/src/chart-spec';
import { BASE_METRIC_IDS } from '@amc-reports/metrics/src/base-metrics';
import { isMetricId, METRICS } from '@amc-reports/metrics/src/catalogue';
import { DIMENSION_ROLES as METRIC_LAYER_DIMENSION_ROLES, type DimensionRole as MetricLayerDimensionRole } from '@amc-reports/metrics/src/dimension-aliases';
import { SPEND_UNIT_SETTINGS } from '@amc-reports/metrics/src/spend-unit';
import { z } from 'zod';
import type { DashboardType } from './dashboard-view';

/**
 * `report_configurations.visualization_settings`, `data_aggregation_settings` and `export_settings`,
 * one schema per dashboard type. The gateway validates user input with `parseReportSettings`; the
 * dashboard builders read settings through it too, so both agree on defaults. Objects are strict:
 * a misspelt key is an error the user sees, not a setting silently ignored.
 */

export const HISTORY_LENGTH_DEFAULT = 12;
export const HISTORY_LENGTH_MAX = 52;
export const RETENTION_DAYS_DEFAULT = 7;
export const RETENTION_DAYS_MAX = 30;

const ColumnName = z.string().trim().min(1).max(256);

/** The base metrics of the metric layer (libs/metrics): what its AMC column aliases find, by role. */
export const METRIC_ROLES = BASE_METRIC_IDS;
export type MetricRole = (typeof METRIC_ROLES)[number];

export const DIMENSION_ROLES = METRIC_LAYER_DIMENSION_ROLES as readonly MetricLayerDimensionRole[];
export type DimensionRole = MetricLayerDimensionRole;

/** `{ "impressions": "imps_total", "campaign": "campaign_name" }`: overrides the naming-based detection. */
export const ColumnOverrides = z.partialRecord(z.enum([...METRIC_ROLES, ...METRIC_LAYER_DIMENSION_ROLES] as [string, ...string[]]), ColumnName);
export type ColumnOverrides = Partial<Record<MetricRole | DimensionRole, string>>;

/**
 * Unit of the spend column. `auto` decides from the data, once per result (libs/metrics
 * spend-unit.ts): AMC's `total_cost` / `imp_total_cost` are millicents and `spend` microcents in
 * the raw tables, while many queries already convert to dollars.
 */
export const SpendUnit = z.enum(SPEND_UNIT_SETTINGS);
export type SpendUnit = z.infer<typeof SpendUnit>;

/** ISO 4217: AMC reports money in the marketplace's currency, which a result does not name. */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'use a three-letter ISO 4217 code such as USD or EUR');

/** A metric of the catalogue by id (e.g. `roas`, `newToBrandShare`). */
export const MetricId = z.string().refine(isMetricId, {
  message: `not a metric of the catalogue (one of ${METRICS.map((metric) => metric.id).join(', ')})`,
});

const aggregationBase = {
  /** Executions shown in history charts (the latest included). */
  historyLength: z.int().min(1).max(HISTORY_LENGTH_MAX).default(HISTORY_LENGTH_DEFAULT),
  columns: ColumnOverrides.optional(),
  spendUnit: SpendUnit.default('auto'),
  currency: Currency.default('USD'),
  /**
   * The touch model totals, shares and insights are taken for when the result has one row per
   * model (`attribution_model`): default last touch when present. Models are never added up.
   */
  attributionModel: z.string().trim().min(1).max(80).optional(),
};

export const FunnelStage = z.strictObject({ column: ColumnName, label: z.string().trim().min(1).max(80).optional() });
export type FunnelStage = z.infer<typeof FunnelStage>;

export const FunnelAggregationSettings = z.strictObject({
  ...aggregationBase,
  /** Replaces the default impressions → clicks / detail page views → add to cart → purchases. */
  stages: z.array(FunnelStage).min(2).max(8).optional(),
  topCampaigns: z.int().min(1).max(100).default(20),
});
export const PerformanceAggregationSettings = z.strictObject({
  ...aggregationBase,
  topCampaigns: z.int().min(1).max(100).default(10),
});
export const AttributionAggregationSettings = z.strictObject({
  ...aggregationBase,
  topCampaigns: z.int().min(1).max(100).default(10),
});
export const AudienceAggregationSettings = z.strictObject({
  ...aggregationBase,
  topPaths: z.int().min(1).max(100).default(10),
});
export const CustomAggregationSettings = z.strictObject({ ...aggregationBase });

/** The metrics budget advice can be judged by (`visualization_settings.insights.optimizeFor`). */
export const INSIGHT_OPTIMIZATION_METRICS = ['roas', 'newToBrandRoas', 'cpa', 'acos'] as const;
export type InsightOptimizationMetric = (typeof INSIGHT_OPTIMIZATION_METRICS)[number];

/** What the insight worker uses when `visualization_settings.insights` leaves a key out. */
export const INSIGHT_THRESHOLD_DEFAULTS = { minRelativeChange: 0.1, minVolumeShare: 0.05, optimizeFor: 'roas' } as const;

/**
 * `visualization_settings.insights`: when a move is news. Statistics decide whether a move is more
 * than noise; these floors decide whether it matters: a change under `minRelativeChange` (0.1 =
 * 10 %) or on a campaign under `minVolumeShare` of the volume is not reported however unusual.
 * Budget advice weighs campaigns by `optimizeFor` (return on ad spend by default).
 */
export const InsightVisualizationSettings = z.strictObject({
  minRelativeChange: z.number().min(0).max(10).optional(),
  minVolumeShare: z.number().min(0).max(1).optional(),
  optimizeFor: z.enum(INSIGHT_OPTIMIZATION_METRICS).optional(),
});
export type InsightVisualizationSettings = z.infer<typeof InsightVisualizationSettings>;

const visualizationBase = {
  /** View keys (e.g. `funnel.history`) the user chose not to show. */
  hiddenViews: z.array(z.string().min(1).max(100)).max(50).default([]),
  insights: InsightVisualizationSettings.optional(),
};

export const StandardVisualizationSettings = z.strictObject({ ...visualizationBase });

const FilterValue = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const CustomViewFilter = z.discriminatedUnion('op', [
  z.strictObject({ column: ColumnName, op: z.enum(['eq', 'neq']), value: FilterValue }),
  z.strictObject({ column: ColumnName, op: z.enum(['in', 'not_in']), values: z.array(FilterValue).min(1).max(100) }),
  z.strictObject({ column: ColumnName, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number() }),
]);
export type CustomViewFilter = z.infer<typeof CustomViewFilter>;

export const CUSTOM_AGGREGATIONS = ['sum', 'avg', 'count', 'max', 'min'] as const;
export type CustomAggregation = (typeof CUSTOM_AGGREGATIONS)[number];

export const CustomViewDeclaration = z
  .strictObject({
    /** Stable id: the view key becomes `custom.<key>`. */
    key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use lowercase letters, digits, "_" or "-" (at most 64)'),
    title: z.string().trim().min(1).max(120),
    kind: z.enum(CHART_KINDS),
    /** `latest`: the latest execution by x; `history`: one point per execution. */
    source: z.enum(['latest', 'history']).default('latest'),
    /** A dimension or the date column (latest source); not used by `metric` views or history. */
    x: ColumnName.optional(),
    /** Result columns, aggregated by `aggregation`. */
    y: z
      .union([ColumnName, z.array(ColumnName).max(8)])
      .default([])
      .transform((value) => (Array.isArray(value) ? value : [value])),
    /** Catalogue metrics by id (`roas`, `newToBrandShare`, `cpa`): always a ratio of sums, whatever `aggregation` says. */
    metrics: z.array(MetricId).max(8).default([]),
    aggregation: z.enum(CUSTOM_AGGREGATIONS).default('sum'),
    topN: z.int().min(1).max(1000).optional(),
    sort: z.enum(['value-desc', 'value-asc', 'key']).optional(),
    filters: z.array(CustomViewFilter).max(10).default([]),
    format: z.enum(VALUE_FORMATS).optional(),
  })
  .refine((view) => view.source === 'history' || view.kind === 'metric' || view.x !== undefined, {
    message: 'x is required for this chart kind',
    path: ['x'],
  })
  .refine((view) => view.y.length + view.metrics.length > 0, { message: 'name at least one column in y or one metric in metrics', path: ['y'] });
export type CustomViewDeclaration = z.infer<typeof CustomViewDeclaration>;

export const CustomVisualizationSettings = z
  .strictObject({ ...visualizationBase, views: z.array(CustomViewDeclaration).min(1).max(24) })
  .refine((settings) => new Set(settings.views.map((view) => view.key)).size === settings.views.length, {
    message: 'view keys must be unique',
    path: ['views'],
  });

export const EXPORT_FORMATS = ['pdf', 'png', 'csv', 'excel'] as const;
export const PDF_ORIENTATIONS = ['auto', 'portrait', 'landscape'] as const;
export const PDF_PAGE_SIZES = ['A4', 'Letter'] as const;
/**
 * The insight worker's promise behind `export_settings.minInsightConfidence`: a stored
 * confidence_score of 0.3 or more is a finding it would put in front of a client (every anomaly is
 * ≥ 0.5, trends ≥ 0.35, recoveries ≥ 0.3), while week-on-week moves nothing explains and weak
 * advice stay under it (apps/insight-worker/src/findings/strength.ts). On quiet histories nothing
 * but the summary reaches it (bench/planted-effects.bench.ts).
 */
export const MIN_INSIGHT_CONFIDENCE_DEFAULT = 0.3;
/** A finding this weak (its statistical strength, before wording) is never put in front of a client. */
export const WEAK_FINDING_STRENGTH = 0.2;
export const ExportSettings = z.strictObject({
  autoExport: z
    .array(z.enum(EXPORT_FORMATS))
    .max(EXPORT_FORMATS.length)
    .refine((formats) => new Set(formats).size === formats.length, 'each format at most once')
    .optional(),
  retentionDays: z.int().min(1).max(RETENTION_DAYS_MAX).default(RETENTION_DAYS_DEFAULT),
  /** Paper and orientation of PDF exports; `auto` turns the pages landscape when a table needs the width. */
  pdf: z
    .strictObject({
      orientation: z.enum(PDF_ORIENTATIONS).default('auto'),
      pageSize: z.enum(PDF_PAGE_SIZES).default('A4'),
    })
    .optional(),
  /**
   * Insights below this confidence stay out of PDF, PNG and Excel exports (default 0.3). Findings
   * whose statistical strength is under WEAK_FINDING_STRENGTH never reach an export, whatever this says.
   */
  minInsightConfidence: z.number().min(0).max(1).optional(),
});
export type ExportSettings = z.infer<typeof ExportSettings>;

export const REPORT_SETTINGS_SCHEMAS = {
  funnel: { visualization: StandardVisualizationSettings, aggregation: FunnelAggregationSettings },
  performance: { visualization: StandardVisualizationSettings, aggregation: PerformanceAggregationSettings },
  attribution: { visualization: StandardVisualizationSettings, aggregation: AttributionAggregationSettings },
  audience: { visualization: StandardVisualizationSettings, aggregation: AudienceAggregationSettings },
  custom: { visualization: CustomVisualizationSettings, aggregation: CustomAggregationSettings },
} as const satisfies Record<DashboardType, { visualization: z.ZodType; aggregation: z.ZodType }>;

type Schemas = typeof REPORT_SETTINGS_SCHEMAS;
export type VisualizationSettings<T extends DashboardType> = z.output<Schemas[T]['visualization']>;
export type AggregationSettings<T extends DashboardType> = z.output<Schemas[T]['aggregation']>;

export interface ReportSettings<T extends DashboardType> {
  visualization: VisualizationSettings<T>;
  aggregation: AggregationSettings<T>;
  export: ExportSettings;
}

export interface RawReportSettings {
  visualization?: unknown;
  aggregation?: unknown;
  export?: unknown;
}

export type ReportSettingsIssue = z.core.$ZodIssue;

export type ParseReportSettingsResult<T extends DashboardType> =
  | { success: true; settings: ReportSettings<T> }
  | { success: false; issues: ReportSettingsIssue[] };

/**
 * Validates and completes (defaults) the three settings of a report configuration. Missing or null
 * settings mean "all defaults" — except custom dashboards, which need `visualization.views`.
 * Issue paths start with `visualization`, `aggregation` or `export`.
 */
export function parseReportSettings<T extends DashboardType>(type: T, raw: RawReportSettings): ParseReportSettingsResult<T> {
  const schemas = REPORT_SETTINGS_SCHEMAS[type];
  const parts = [
    ['visualization', schemas.visualization.safeParse(raw.visualization ?? {})],
    ['aggregation', schemas.aggregation.safeParse(raw.aggregation ?? {})],
    ['export', ExportSettings.safeParse(raw.export ?? {})],
  ] as const;
  const issues = parts.flatMap(([name, result]) =>
    result.success ? [] : result.error.issues.map((issue) => ({ ...issue, path: [name, ...issue.path] })),
  );
  if (issues.length > 0) return { success: false, issues };
  const [visualization, aggregation, exportSettings] = parts.map(([, result]) => result.data);
  return {
    success: true,
    settings: {
      visualization: visualization as VisualizationSettings<T>,
      aggregation: aggregation as AggregationSettings<T>,
      export: exportSettings as ExportSettings,
    },
  };
}

/** One line per issue, e.g. `aggregation.stages: Too small: expected array to have >=2 items`. */
export function formatSettingsIssues(issues: readonly ReportSettingsIssue[]): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; ');
}
