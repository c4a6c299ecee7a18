import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { HEADLINE_METRIC_IDS, type DimensionRole } from '@amc-reports/metrics';

/**
 * What each dashboard type reads from an AMC result, by metric id and dimension role: the lists the
 * builders use, so the README's table (requirements-markdown.ts), the "what the report expected"
 * of an unusable-result banner and the builders' own checks cannot drift apart. Column names come
 * from the metric layer (libs/metrics: stems, dimension aliases), never from here.
 */
export interface DashboardRequirement {
  /** A result must have at least `atLeast` of these metrics (base or derived ids)… */
  needsMetrics?: { anyOf: readonly string[]; atLeast: number };
  /** …and at least one of these dimensions, unless `orMetric` is there. */
  needsDimensions?: { anyOf: readonly DimensionRole[]; orMetric?: string };
  /** Everything the type shows when the result has it. */
  reads: { metrics: readonly string[]; dimensions: readonly DimensionRole[]; dateColumn: boolean };
  /** What the settings can change about it, in words. */
  settings: string;
}

/** AMC funnel order; every stage the result has is kept (detail page views too, when clicks exist). */
export const FUNNEL_STAGE_METRICS = ['impressions', 'clicks', 'detailPageViews', 'addToCart', 'purchases'] as const;
/** Money and outcome cards a funnel shows beside its stages when the result has the columns. */
export const FUNNEL_OUTCOME_METRICS = ['spend', 'sales', 'roas', 'cpa', 'newToBrandShare'] as const;

/** Volumes, then the usual advertising ratios, in card order (catalogue ids). */
export const PERFORMANCE_METRICS = [
  'impressions', 'clicks', 'spend', 'purchases', 'sales', 'newToBrandSales', 'reach', 'ctr', 'cpc', 'cpm', 'roas', 'newToBrandRoas',
  'cpa', 'purchaseRateOfClicks', 'acos', 'newToBrandShare',
] as const;
/** A performance dashboard shows nothing without one of these. */
export const PERFORMANCE_VOLUMES = ['impressions', 'clicks', 'spend', 'purchases', 'sales'] as const;

export const ATTRIBUTION_CARD_METRICS = [...HEADLINE_METRIC_IDS, 'salesPerPurchase', 'unitsSold'];
export const ATTRIBUTION_MODEL_METRICS = ['purchases', 'sales', 'spend', 'roas', 'salesPerPurchase', 'cpa'];
export const ATTRIBUTION_CAMPAIGN_METRICS = ['purchases', 'sales', 'spend', 'roas', 'salesPerPurchase'];
export const ATTRIBUTION_CREDIT_METRICS = ['purchases', 'sales'] as const;
export const ATTRIBUTION_DIMENSIONS = ['attributionModel', 'campaign'] as const satisfies readonly DimensionRole[];

export const AUDIENCE_CARD_METRICS = [...HEADLINE_METRIC_IDS, 'convertedUsersOfReach'];
export const AUDIENCE_DIMENSIONS = ['exposureGroup', 'frequencyBucket', 'path'] as const satisfies readonly DimensionRole[];

const unique = (ids: readonly string[]) => [...new Set(ids)];

export const DASHBOARD_REQUIREMENTS: Record<DashboardType, DashboardRequirement> = {
  funnel: {
    needsMetrics: { anyOf: FUNNEL_STAGE_METRICS, atLeast: 2 },
    reads: { metrics: unique([...FUNNEL_STAGE_METRICS, ...FUNNEL_OUTCOME_METRICS, ...HEADLINE_METRIC_IDS]), dimensions: ['campaign', 'adProduct'], dateColumn: false },
    settings: '`data_aggregation_settings.stages` names the stage columns instead (2 to 8)',
  },
  performance: {
    needsMetrics: { anyOf: PERFORMANCE_VOLUMES, atLeast: 1 },
    reads: { metrics: unique([...PERFORMANCE_METRICS, ...HEADLINE_METRIC_IDS]), dimensions: ['campaign'], dateColumn: true },
    settings: '`data_aggregation_settings.columns` maps any metric to a column',
  },
  attribution: {
    needsMetrics: { anyOf: ATTRIBUTION_CREDIT_METRICS, atLeast: 1 },
    needsDimensions: { anyOf: ATTRIBUTION_DIMENSIONS },
    reads: { metrics: unique([...ATTRIBUTION_CARD_METRICS, ...ATTRIBUTION_MODEL_METRICS]), dimensions: ATTRIBUTION_DIMENSIONS, dateColumn: false },
    settings: '`data_aggregation_settings.attributionModel` picks the touch model the totals are for (default last touch)',
  },
  audience: {
    needsDimensions: { anyOf: AUDIENCE_DIMENSIONS, orMetric: 'reach' },
    reads: { metrics: unique([...AUDIENCE_CARD_METRICS, 'purchaseRateOfReach']), dimensions: AUDIENCE_DIMENSIONS, dateColumn: false },
    settings: '`data_aggregation_settings.columns` maps reach or a segment column',
  },
  custom: {
    reads: { metrics: [], dimensions: [], dateColumn: true },
    settings: 'the columns and metrics `visualization_settings.views` name (`x`, `y`, `metrics`, `filters`)',
  },
};
