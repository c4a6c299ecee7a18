import type { DashboardType } from '@amc-reports/contracts/src/dashboard-view';
import { NULL_BUCKET_KEY, OTHER_BUCKET_KEY, type DimensionBucket, type MetricTotals, type ResultProfile } from '@amc-reports/contracts/src/result-profile';
import {
  availableMetrics,
  BASE_METRIC_IDS,
  buildMetricFrame,
  chooseTouchModel,
  columnMetric,
  type DimensionRole,
  type MetricDefinition,
  type MetricFrame,
  metricLabel,
  type MetricSettings,
  type MetricSums,
  metricValue,
  ratioMetric,
  readSums,
  resolveDimensionColumns,
  roundMetricValue,
  scopeProfileToTouchModel,
} from '@amc-reports/metrics';
import type { ExecutionProfile, NumberUnit } from './finding';
import { buildMetricChain, linkRate, type MetricChain } from './metric-chain';

/**
 * A metric of the metric layer (libs/metrics) as findings quote it: percents as percentages
 * (12.5 means 12.5 %, the unit verification reads), values read through each execution's own
 * frame (its spend unit). The formulas, labels and column aliases are the layer's, never restated.
 */
export interface InsightMetric {
  /** The catalogue id (`ctr`, `purchaseRateOfClicks`) or, for a result's own column, the column. */
  key: string;
  label: string;
  unit: Exclude<NumberUnit, 'points'>;
  kind: 'sum' | 'rate';
  upIsGood: boolean | null;
  definition: MetricDefinition;
  /** Undefined when a column is missing or the denominator is zero: a gap, never a zero. */
  valueOf(totals: MetricTotals | undefined, frame: MetricFrame): number | undefined;
}

export interface InsightMetrics {
  /** How the latest result is read (columns, spend unit, currency). */
  frame: MetricFrame;
  metrics: InsightMetric[];
  dimensions: Partial<Record<DimensionRole, string>>;
  /** Funnel stages in order (≥ 2) when the dashboard is a funnel or stages were given. */
  stages: string[];
  /** The rate of each consecutive stage pair (length = stages − 1). */
  stageRates: InsightMetric[];
  /** How the volumes follow from each other (metric-chain.ts); every link's rate is among `metrics`. */
  chain: MetricChain;
  /** An execution's own frame: the same settings, its own spend unit. */
  frameOf(execution: ExecutionProfile): MetricFrame;
}

/** `data_aggregation_settings` as far as insights read them. */
export interface InsightSettings extends MetricSettings {
  attributionModel?: string;
  stages?: Array<{ column: string }>;
}

/**
 * A bucket's sums, read once per frame: every metric of every campaign of every execution reads
 * the same totals (the profiles are never changed once loaded), and reading them was the largest
 * share of the findings' time.
 */
const sumsRead = new WeakMap<MetricTotals, WeakMap<MetricFrame, MetricSums>>();
function sumsOf(totals: MetricTotals | undefined, frame: MetricFrame): MetricSums {
  if (!totals) return {};
  let byFrame = sumsRead.get(totals);
  if (!byFrame) sumsRead.set(totals, (byFrame = new WeakMap()));
  let sums = byFrame.get(frame);
  if (!sums) byFrame.set(frame, (sums = readSums(totals, frame)));
  return sums;
}

export function insightMetric(definition: MetricDefinition, frame?: MetricFrame): InsightMetric {
  const unit = definition.unit;
  const valueOf = (totals: MetricTotals | undefined, readFrame: MetricFrame): number | undefined => {
    // A settings stage column no metric claims is read as it is.
    const value = definition.kind === 'column' ? totals?.[definition.column] : metricValue(definition, sumsOf(totals, readFrame));
    if (value === null || value === undefined || !Number.isFinite(value)) return undefined;
    return unit === 'percent' ? value * 100 : value;
  };
  return {
    key: definition.id,
    label: metricLabel(definition, frame),
    unit,
    kind: definition.kind === 'derived' ? 'rate' : 'sum',
    upIsGood: definition.upIsGood,
    definition,
    valueOf,
  };
}

/**
 * Every execution of an attribution result reduced to one touch model (the settings', else last
 * touch): rows of different models split the same conversions, so adding them counts them twice.
 */
export function scopeToTouchModel(
  latest: ExecutionProfile,
  history: readonly ExecutionProfile[],
  settings: InsightSettings,
): { latest: ExecutionProfile; history: ExecutionProfile[]; model: string | null } {
  const column = resolveDimensionColumns(latest.profile.dimensions, settings.columns).dimensions.attributionModel;
  const keys = column ? (latest.profile.dimensionBreakdowns[column] ?? []).map((bucket) => bucket.key) : [];
  const choice = column ? chooseTouchModel(keys, settings.attributionModel) : null;
  if (!column || !choice) return { latest, history: [...history], model: null };
  const scope = (execution: ExecutionProfile): ExecutionProfile => ({ ...execution, profile: scopeProfileToTouchModel(execution.profile, column, choice.model) });
  return { latest: scope(latest), history: history.map(scope), model: choice.model };
}

/**
 * Frames by profile and settings, kept as long as the profile is: the worker's profile cache
 * hands every job of a workflow the same (frozen) history profiles, so their frames, and the sums
 * read through them (sumsOf), are built once per process instead of once per insight set.
 */
const sharedFrames = new WeakMap<ResultProfile, Map<string, MetricFrame>>();
const settingsKey = (settings: MetricSettings): string => JSON.stringify([settings.columns ?? null, settings.spendUnit ?? null, settings.currency ?? null]);
function frameFor(profile: ResultProfile, settings: MetricSettings, key: string): MetricFrame {
  let bySettings = sharedFrames.get(profile);
  if (!bySettings) sharedFrames.set(profile, (bySettings = new Map()));
  let frame = bySettings.get(key);
  if (!frame) bySettings.set(key, (frame = buildMetricFrame(profile, settings)));
  return frame;
}

export function buildInsightMetrics(profile: ResultProfile, options: { dashboardType: DashboardType; settings?: InsightSettings }): InsightMetrics {
  const settings = options.settings ?? {};
  const frameSettings: MetricSettings = { columns: settings.columns, spendUnit: settings.spendUnit, currency: settings.currency };
  const key = settingsKey(frameSettings);
  const frame = frameFor(profile, frameSettings, key);
  const metrics = availableMetrics(frame, { extras: true }).map((definition) => insightMetric(definition, frame));
  const dimensions = resolveDimensionColumns(profile.dimensions, settings.columns).dimensions;
  const stageIds = stagesOf(frame, options.dashboardType, settings.stages?.map((stage) => stage.column), profile);
  const stageRates: InsightMetric[] = [];
  for (let i = 0; i + 1 < stageIds.length; i++) {
    const rate = ratioMetric(stageIds[i + 1], stageIds[i]);
    let metric = metrics.find((candidate) => candidate.key === rate.id);
    if (!metric) {
      metric = insightMetric(rate, frame);
      metrics.push(metric);
    }
    stageRates.push(metric);
  }
  for (const id of stageIds) {
    if (!metrics.some((metric) => metric.key === id)) metrics.push(insightMetric(columnMetric(id), frame));
  }
  const stages = stageRates.length > 0 ? stageIds : [];
  const derived = () =>
    metrics.flatMap((metric) => (metric.definition.kind === 'derived' ? [{ id: metric.key, numerator: metric.definition.numerator, denominator: metric.definition.denominator }] : []));
  const rateIdOf = (volume: string, parent: string) => {
    const found = derived().find((metric) => metric.numerator === volume && metric.denominator === parent);
    if (found) return found.id;
    const rate = insightMetric(linkRate(volume, parent), frame);
    metrics.push(rate);
    return rate.key;
  };
  const volumes = metrics.filter((metric) => metric.kind === 'sum').map((metric) => metric.key);
  const chain = buildMetricChain(volumes, derived(), stages, rateIdOf);
  const frames = new WeakMap<ResultProfile, MetricFrame>([[profile, frame]]);
  return {
    frame,
    metrics,
    dimensions,
    stages,
    stageRates,
    chain,
    // Each execution's frame is read many times (every metric, every campaign): looked up in this
    // catalog's own map first, the shared one once per profile.
    frameOf: (execution) => {
      let known = frames.get(execution.profile);
      if (!known) frames.set(execution.profile, (known = frameFor(execution.profile, frameSettings, key)));
      return known;
    },
  };
}

/** Stage ids: the settings' columns (as their catalogue metric when one reads that column), else the AMC funnel order. */
function stagesOf(frame: MetricFrame, dashboardType: DashboardType, stageColumns: string[] | undefined, profile: ResultProfile): string[] {
  if (stageColumns && stageColumns.length > 0) {
    const present = stageColumns.filter((column) => profile.metrics.includes(column));
    const ids = present.map((column) => BASE_METRIC_IDS.find((id) => frame.columns[id]?.columns.length === 1 && frame.columns[id]?.columns[0] === column) ?? column);
    if (ids.length >= 2) return ids;
  }
  if (dashboardType !== 'funnel') return [];
  return ['impressions', 'clicks', 'detailPageViews', 'addToCart', 'purchases'].filter((id) => frame.columns[id as (typeof BASE_METRIC_IDS)[number]]);
}

export interface SeriesPoint {
  executionId: string;
  /** Position of the execution in the history (0 = oldest), whether or not earlier points are missing. */
  index: number;
  value: number;
}

export interface MetricSeries {
  metric: InsightMetric;
  /** Oldest first; executions where the metric is undefined are left out. */
  points: SeriesPoint[];
}

export function buildMetricSeries(catalog: InsightMetrics, history: readonly ExecutionProfile[]): MetricSeries[] {
  const frames = history.map((execution) => catalog.frameOf(execution));
  return catalog.metrics.map((metric) => ({
    metric,
    points: history.flatMap((execution, index) => {
      const value = metric.valueOf(execution.profile.totals, frames[index]);
      return value === undefined ? [] : [{ executionId: execution.executionId, index, value }];
    }),
  }));
}

/** A dimension's buckets by key (their positions), indexed once per profile: every campaign of every execution is looked up. */
interface BucketIndex {
  positionOf: Map<string, number>;
  truncated: boolean;
}
const bucketIndexes = new WeakMap<DimensionBucket[], BucketIndex>();
function bucketIndex(buckets: DimensionBucket[]): BucketIndex {
  let index = bucketIndexes.get(buckets);
  if (!index) {
    // A key listed twice is read from its last bucket, as a Map built from the buckets reads it.
    index = { positionOf: new Map(buckets.map((bucket, position) => [bucket.key, position])), truncated: buckets.some((bucket) => bucket.key === OTHER_BUCKET_KEY) };
    bucketIndexes.set(buckets, index);
  }
  return index;
}

/**
 * One metric's value in every bucket of a dimension (NaN where it is undefined), read once per
 * profile, frame and metric: the key-move tests read ~40 campaigns × 12 executions × each tested
 * metric per insight set, and the worker's cached (frozen) profiles are shared by every set of a
 * workflow. A column of doubles, not a Map per key: it lives as long as its profile does.
 */
const keyValueColumns = new WeakMap<DimensionBucket[], WeakMap<MetricFrame, WeakMap<MetricDefinition, Float64Array>>>();
function keyValueColumn(buckets: DimensionBucket[], frame: MetricFrame, metric: InsightMetric): Float64Array {
  let byFrame = keyValueColumns.get(buckets);
  if (!byFrame) keyValueColumns.set(buckets, (byFrame = new WeakMap()));
  let byMetric = byFrame.get(frame);
  if (!byMetric) byFrame.set(frame, (byMetric = new WeakMap()));
  let column = byMetric.get(metric.definition);
  if (!column) {
    column = new Float64Array(buckets.length);
    for (let i = 0; i < buckets.length; i++) column[i] = metric.valueOf(buckets[i].totals, frame) ?? Number.NaN;
    byMetric.set(metric.definition, column);
  }
  return column;
}

/** A dimension of one execution as a key's series reads it: where each key is, and the metric's value there. */
interface KeyValues {
  index: BucketIndex;
  values: Float64Array;
}

/** Each execution's keys and values of one dimension and metric (null where the dimension is missing). */
export function keyValuesOf(catalog: InsightMetrics, history: readonly ExecutionProfile[], dimension: string, metric: InsightMetric): Array<KeyValues | null> {
  return history.map((execution) => {
    const buckets = execution.profile.dimensionBreakdowns[dimension];
    return buckets ? { index: bucketIndex(buckets), values: keyValueColumn(buckets, catalog.frameOf(execution), metric) } : null;
  });
}

/**
 * One dimension key's series of a metric (a campaign's impressions over the executions). A key
 * missing from an execution that listed every key (no `__other__` bucket) had nothing: 0 for a
 * volume. Past the top K it is unknown, and so is a rate over nothing.
 */
export function keySeriesFrom(history: readonly ExecutionProfile[], columns: ReadonlyArray<KeyValues | null>, key: string, metric: InsightMetric): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let index = 0; index < columns.length; index++) {
    const column = columns[index];
    if (!column) continue;
    const position = column.index.positionOf.get(key);
    if (position === undefined) {
      if (!column.index.truncated && metric.kind === 'sum') points.push({ executionId: history[index].executionId, index, value: 0 });
      continue;
    }
    const value = column.values[position];
    if (!Number.isNaN(value)) points.push({ executionId: history[index].executionId, index, value });
  }
  return points;
}

export function buildKeySeries(catalog: InsightMetrics, history: readonly ExecutionProfile[], dimension: string, key: string, metric: InsightMetric): SeriesPoint[] {
  return keySeriesFrom(history, keyValuesOf(catalog, history, dimension, metric), key, metric);
}

export function metricByKey(catalog: InsightMetrics, key: string): InsightMetric | undefined {
  return catalog.metrics.find((metric) => metric.key === key);
}

/**
 * Rounds a value the way it is shown everywhere (libs/metrics roundMetricValue): percents and
 * points, stored as percentages, by the percent rule; so an insight's number reads back exactly as
 * the dashboard and the export show it.
 */
export function roundForUnit(value: number, unit: NumberUnit): number {
  if (unit === 'percent' || unit === 'points') return Number((roundMetricValue(value / 100, 'percent') * 100).toPrecision(15));
  return roundMetricValue(value, unit);
}

/** The metrics a reader looks at first (the layer's headline list): for summaries. */
export function headlineInsightMetrics(catalog: InsightMetrics, headline: readonly MetricDefinition[]): InsightMetric[] {
  return headline.map((definition) => catalog.metrics.find((metric) => metric.key === definition.id) ?? insightMetric(definition, catalog.frame));
}

/** Outcome metrics first: a campaign that lost purchases matters more than one that lost impressions. */
export function outcomeMetrics(catalog: InsightMetrics, limit: number): InsightMetric[] {
  const chosen = ['purchases', 'sales', 'clicks', 'impressions']
    .map((key) => catalog.metrics.find((metric) => metric.key === key))
    .filter((metric): metric is InsightMetric => metric !== undefined);
  const fallback = catalog.metrics.filter((metric) => metric.kind === 'sum');
  return (chosen.length > 0 ? chosen : fallback).slice(0, limit);
}

/** `__other__` (folded keys) and `__null__` (NULL cells) are not a campaign or a bucket anyone can act on. */
export function isNamedKey(key: string): boolean {
  return key !== OTHER_BUCKET_KEY && key !== NULL_BUCKET_KEY;
}
