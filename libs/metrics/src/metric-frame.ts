import type { BaseMetricId } from './base-metrics';
import { BASE_METRICS } from './base-metrics';
import { findMetric } from './catalogue';
import { columnMetric, isAdditiveColumn, isMetricColumnName, type MetricColumns, qualifiedLabel, resolveMetricColumns } from './column-aliases';
import { DERIVED_METRICS } from './derived-metrics';
import { cleanFloat, DEFAULT_CURRENCY } from './format-value';
import type { MetricDefinition } from './metric-definition';
import { decideSpendUnit, type SpendUnitDecision, type SpendUnitSetting } from './spend-unit';

/** The part of a result profile the metric layer reads (a ResultProfile fits). */
export interface ProfileLike {
  metrics: readonly string[];
  totals: Readonly<Record<string, number>>;
  metricStats?: Readonly<Record<string, { min: number; max: number }>>;
}

/** What `data_aggregation_settings` says about metrics. */
export interface MetricSettings {
  columns?: Readonly<Record<string, string | undefined>>;
  spendUnit?: SpendUnitSetting;
  currency?: string;
}

/** How to read one result: which columns are which metric, the spend unit and the currency. Made once per result. */
export interface MetricFrame {
  columns: MetricColumns;
  spend: SpendUnitDecision | null;
  currency: string;
  /** Summable numeric columns no catalogue metric claims (custom SQL): metrics of their own. */
  extraColumns: string[];
  missingOverrides: Array<{ metric: string; column: string }>;
}

/** Base metric id (or extra column) → its sum in a bucket; spend in the currency's major unit. */
export type MetricSums = Partial<Record<string, number>>;

export function buildMetricFrame(profile: ProfileLike, settings: MetricSettings = {}): MetricFrame {
  const { metrics: columns, missingOverrides } = resolveMetricColumns(profile.metrics, settings.columns);
  const claimed = new Set(Object.values(columns).flatMap((resolved) => resolved?.columns ?? []));
  const extraColumns = profile.metrics.filter((column) => !claimed.has(column) && !isMetricColumnName(column) && isAdditiveColumn(column));
  const spendColumns = columns.spend?.columns;
  let spend: SpendUnitDecision | null = null;
  if (spendColumns) {
    const stats = spendColumns.map((column) => profile.metricStats?.[column]);
    const spendTotal = sumColumns(profile.totals, spendColumns);
    const impressionsTotal = columns.impressions ? sumColumns(profile.totals, columns.impressions.columns) : undefined;
    const integersOnly =
      stats.every((stat) => stat !== undefined && Number.isInteger(stat.min) && Number.isInteger(stat.max)) && Number.isInteger(spendTotal ?? 0.5);
    spend = decideSpendUnit({ columns: spendColumns, spendTotal, impressionsTotal, integersOnly }, settings.spendUnit ?? 'auto');
  }
  return { columns, spend, currency: settings.currency ?? DEFAULT_CURRENCY, extraColumns, missingOverrides };
}

function sumColumns(totals: Readonly<Record<string, number>> | undefined, columns: readonly string[]): number | undefined {
  if (!totals) return undefined;
  let sum = 0;
  for (const column of columns) {
    const value = totals[column];
    if (typeof value !== 'number') return undefined;
    sum += value;
  }
  return cleanFloat(sum);
}

/** A bucket's totals (profile totals, a dimension key, a date) as metric sums; a missing total stays missing, never 0. */
export function readSums(totals: Readonly<Record<string, number>> | undefined, frame: MetricFrame): MetricSums {
  const sums: MetricSums = {};
  if (!totals) return sums;
  for (const [id, resolved] of Object.entries(frame.columns)) {
    const sum = resolved ? sumColumns(totals, resolved.columns) : undefined;
    if (sum === undefined) continue;
    sums[id] = id === 'spend' && frame.spend ? cleanFloat(sum / frame.spend.divisor) : sum;
  }
  for (const column of frame.extraColumns) if (typeof totals[column] === 'number') sums[column] = totals[column];
  return sums;
}

/** A metric's value from sums: the sum itself, or the numerator's sum over the denominator's; null when unknown or over zero. */
export function metricValue(metric: MetricDefinition | string, sums: MetricSums): number | null {
  const definition = typeof metric === 'string' ? (findMetric(metric) ?? { kind: 'column' as const, column: metric }) : metric;
  if (definition.kind === 'base') return sums[definition.id] ?? null;
  if (definition.kind === 'column') return sums[definition.column] ?? null;
  const numerator = sums[definition.numerator];
  const denominator = sums[definition.denominator];
  if (numerator === undefined || denominator === undefined || denominator === 0) return null;
  return cleanFloat((numerator / denominator) * (definition.scale ?? 1));
}

/** Row sums added up (e.g. the buckets of one model): a metric missing from a part is missing from the whole. */
export function addSums(parts: readonly MetricSums[]): MetricSums {
  if (parts.length === 0) return {};
  const keys = new Set(parts.flatMap((part) => Object.keys(part)));
  const total: MetricSums = {};
  for (const key of keys) {
    if (parts.some((part) => part[key] === undefined)) continue;
    total[key] = cleanFloat(parts.reduce((sum, part) => sum + (part[key] ?? 0), 0));
  }
  return total;
}

const DISTINCT_USER_METRICS = new Set(BASE_METRICS.filter((metric) => metric.distinctUsers).map((metric) => metric.id));

/**
 * Sums of several executions (a period of weeks): volumes add up; reach and other distinct-user
 * counts do not (a user reached in two weeks is one user), so they are left out, i.e. unknown.
 */
export function addSumsAcrossExecutions(parts: readonly MetricSums[]): MetricSums {
  const total = addSums(parts);
  for (const id of DISTINCT_USER_METRICS) delete total[id];
  return total;
}

export function hasMetric(frame: MetricFrame, metric: MetricDefinition | string): boolean {
  const definition = typeof metric === 'string' ? findMetric(metric) : metric;
  if (!definition) return typeof metric === 'string' && frame.extraColumns.includes(metric);
  if (definition.kind === 'column') return frame.extraColumns.includes(definition.column);
  if (definition.kind === 'base') return frame.columns[definition.id as BaseMetricId] !== undefined;
  return frame.columns[definition.numerator as BaseMetricId] !== undefined && frame.columns[definition.denominator as BaseMetricId] !== undefined;
}

/** The catalogue metrics this result can compute, volumes first; with `extras`, its own summable columns too. */
export function availableMetrics(frame: MetricFrame, options: { extras?: boolean } = {}): MetricDefinition[] {
  const catalogue = [...BASE_METRICS, ...DERIVED_METRICS].filter((metric) => hasMetric(frame, metric));
  return options.extras ? [...catalogue, ...frame.extraColumns.map(columnMetric)] : catalogue;
}

/** The label a metric has in this result ("Purchases (14d)" when read from `purchases_14d`). */
export function metricLabel(metric: MetricDefinition | string, frame?: MetricFrame): string {
  const definition = typeof metric === 'string' ? (findMetric(metric) ?? columnMetric(metric)) : metric;
  if (definition.kind === 'base') return qualifiedLabel(definition, frame?.columns[definition.id as BaseMetricId]);
  return definition.label;
}

/** Looks a metric up by id, or treats the id as one of the result's own columns. */
export function metricById(id: string): MetricDefinition {
  return findMetric(id) ?? columnMetric(id);
}
