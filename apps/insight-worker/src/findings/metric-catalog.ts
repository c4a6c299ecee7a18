import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { NULL_BUCKET_KEY, OTHER_BUCKET_KEY, type MetricTotals, type ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { ExecutionProfile, NumberUnit } from './finding';

export type MetricUnit = Exclude<NumberUnit, 'points'>;

export interface MetricDefinition {
  /** A profile column for sums; `ctr`, `conversion_rate`, `roas`, `<from>_to_<to>_rate` for derived ones. */
  key: string;
  label: string;
  unit: MetricUnit;
  kind: 'sum' | 'rate';
  /** The columns a rate divides (numerator, denominator); absent for sums. */
  ratioOf?: [string, string];
  /** Undefined when a column is missing or the denominator is zero: a gap, never a zero. */
  valueOf(totals: MetricTotals): number | undefined;
}

/** Columns with a role, found by AMC naming (first alias present wins). */
export interface KnownColumns {
  impressions?: string;
  clicks?: string;
  detailPageViews?: string;
  addToCart?: string;
  purchases?: string;
  sales?: string;
  spend?: string;
  users?: string;
}

export interface MetricCatalog {
  metrics: MetricDefinition[];
  columns: KnownColumns;
  /** Funnel stages in order (≥ 2) when the dashboard is a funnel or stages were given. */
  stages: string[];
  /** The rate metric of each consecutive stage pair, aligned with stages (length = stages − 1). */
  stageRates: MetricDefinition[];
}

const ALIASES: Record<keyof KnownColumns, string[]> = {
  impressions: ['impressions', 'total_impressions', 'impressions_in_bucket', 'imps'],
  clicks: ['clicks', 'total_clicks'],
  detailPageViews: ['detail_page_view', 'detail_page_views', 'total_detail_page_view', 'dpv'],
  addToCart: ['add_to_cart', 'add_to_carts', 'total_add_to_cart', 'atc'],
  purchases: ['purchases', 'total_purchases', 'conversions', 'orders'],
  sales: ['product_sales', 'total_product_sales', 'sales', 'sales_amount', 'revenue'],
  spend: ['total_cost', 'spend', 'total_spend', 'cost', 'media_cost'],
  users: ['users_in_bucket', 'users', 'unique_users', 'user_reach', 'reach'],
};

// Summing a rate, an id or a per-user average across rows means nothing, so such numeric
// columns are not metrics (AMC results often carry e.g. conversion_rate or campaign_id_string).
const NON_ADDITIVE = /(^|_)(rate|ratio|pct|percent|share|per|avg|average|mean|median|id|frequency|rank|index)(_|$)/i;
const CURRENCY = /(sales|cost|spend|revenue|amount|budget|price|value)/i;

export function findKnownColumns(metricColumns: readonly string[]): KnownColumns {
  const byLowerName = new Map(metricColumns.map((column) => [column.toLowerCase(), column]));
  const columns: KnownColumns = {};
  for (const role of Object.keys(ALIASES) as (keyof KnownColumns)[]) {
    const alias = ALIASES[role].find((name) => byLowerName.has(name));
    if (alias) columns[role] = byLowerName.get(alias);
  }
  return columns;
}

export function isAdditiveMetric(column: string): boolean {
  return !NON_ADDITIVE.test(column);
}

export function labelOf(column: string): string {
  return column.replace(/_+/g, ' ').trim();
}

function sumMetric(column: string): MetricDefinition {
  return {
    key: column,
    label: labelOf(column),
    unit: CURRENCY.test(column) ? 'currency' : 'count',
    kind: 'sum',
    valueOf: (totals) => (typeof totals[column] === 'number' ? totals[column] : undefined),
  };
}

function rateMetric(key: string, label: string, unit: MetricUnit, numerator: string, denominator: string): MetricDefinition {
  const factor = unit === 'percent' ? 100 : 1;
  return {
    key,
    label,
    unit,
    kind: 'rate',
    ratioOf: [numerator, denominator],
    valueOf: (totals) => {
      const top = totals[numerator];
      const bottom = totals[denominator];
      if (typeof top !== 'number' || typeof bottom !== 'number' || bottom === 0) return undefined;
      return (top / bottom) * factor;
    },
  };
}

function detectStages(columns: KnownColumns): string[] {
  // DESIGN §6: impressions → clicks (or detail page views) → add to cart → purchases.
  const candidates = [columns.impressions, columns.clicks ?? columns.detailPageViews, columns.addToCart, columns.purchases];
  return candidates.filter((column): column is string => column !== undefined);
}

export function buildMetricCatalog(
  profile: ResultProfile,
  options: { dashboardType: DashboardType; stageColumns?: string[] },
): MetricCatalog {
  const additive = profile.metrics.filter(isAdditiveMetric);
  const columns = findKnownColumns(additive);
  const metrics = additive.map(sumMetric);
  const rates: MetricDefinition[] = [];
  if (columns.clicks && columns.impressions) rates.push(rateMetric('ctr', 'CTR', 'percent', columns.clicks, columns.impressions));
  if (columns.purchases && columns.clicks) {
    rates.push(rateMetric('conversion_rate', 'conversion rate', 'percent', columns.purchases, columns.clicks));
  }
  if (columns.sales && columns.spend) rates.push(rateMetric('roas', 'ROAS', 'ratio', columns.sales, columns.spend));

  const wantsStages = options.dashboardType === 'funnel' || (options.stageColumns?.length ?? 0) > 0;
  const requested = options.stageColumns?.filter((column) => additive.includes(column));
  const stages = wantsStages ? (requested && requested.length >= 2 ? requested : detectStages(columns)) : [];
  const stageRates: MetricDefinition[] = [];
  for (let i = 0; i + 1 < stages.length; i++) {
    const [from, to] = [stages[i], stages[i + 1]];
    // A stage pair that is already a named rate (impressions → clicks is CTR) is not a second metric.
    let rate = rates.find((candidate) => candidate.ratioOf?.[0] === to && candidate.ratioOf?.[1] === from);
    if (!rate) {
      rate = rateMetric(`${from}_to_${to}_rate`, `${labelOf(from)} → ${labelOf(to)} rate`, 'percent', to, from);
      rates.push(rate);
    }
    stageRates.push(rate);
  }
  return { metrics: [...metrics, ...rates], columns, stages: stageRates.length > 0 ? stages : [], stageRates };
}

export interface SeriesPoint {
  executionId: string;
  value: number;
}

export interface MetricSeries {
  metric: MetricDefinition;
  /** Oldest first; executions where the metric is undefined are left out. */
  points: SeriesPoint[];
}

export function buildMetricSeries(catalog: MetricCatalog, history: readonly ExecutionProfile[]): MetricSeries[] {
  return catalog.metrics.map((metric) => ({
    metric,
    points: history.flatMap((execution) => {
      const value = metric.valueOf(execution.profile.totals);
      return value === undefined || !Number.isFinite(value) ? [] : [{ executionId: execution.executionId, value }];
    }),
  }));
}

/**
 * Rounds a value the way findings store it: whole counts from 100 up, two decimals otherwise,
 * and three significant digits below 1 (a CTR of 0.0123 % must not become 0.01 %).
 */
export function roundForUnit(value: number, unit: NumberUnit): number {
  const magnitude = Math.abs(value);
  let decimals = 2;
  if (magnitude >= 100 && (unit === 'count' || unit === 'currency')) decimals = unit === 'count' ? 0 : 2;
  else if (magnitude > 0 && magnitude < 1) decimals = Math.min(6, Math.max(2, 2 - Math.floor(Math.log10(magnitude))));
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** The metrics a reader looks at first, in reading order, as present: for summaries and top movers. */
export function headlineMetrics(catalog: MetricCatalog): MetricDefinition[] {
  const { columns } = catalog;
  const order = [columns.impressions, columns.users, columns.clicks, columns.purchases, columns.sales, columns.spend, 'ctr', 'conversion_rate', 'roas'];
  const chosen = order
    .map((key) => catalog.metrics.find((metric) => metric.key === key))
    .filter((metric): metric is MetricDefinition => metric !== undefined);
  return chosen.length > 0 ? chosen : catalog.metrics.slice(0, 6);
}

/** Outcome metrics first: a campaign that lost purchases matters more than one that lost impressions. */
export function outcomeMetrics(catalog: MetricCatalog, limit: number): MetricDefinition[] {
  const { columns } = catalog;
  const keys = [columns.purchases, columns.sales, columns.clicks, columns.impressions];
  const chosen = keys
    .map((key) => catalog.metrics.find((metric) => metric.key === key && metric.kind === 'sum'))
    .filter((metric): metric is MetricDefinition => metric !== undefined);
  const fallback = catalog.metrics.filter((metric) => metric.kind === 'sum');
  return (chosen.length > 0 ? chosen : fallback).slice(0, limit);
}

const DERIVED_LABELS: Record<string, string> = { ctr: 'CTR', conversion_rate: 'conversion rate', roas: 'ROAS' };

/** A label from a metric key alone (summary numbers are keyed by metric). */
export function labelForMetricKey(key: string): string {
  return DERIVED_LABELS[key] ?? labelOf(key);
}

/** `__other__` (folded keys) and `__null__` (NULL cells) are not a campaign or a bucket anyone can act on. */
export function isNamedKey(key: string): boolean {
  return key !== OTHER_BUCKET_KEY && key !== NULL_BUCKET_KEY;
}
