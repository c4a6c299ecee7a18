import { BASE_METRICS } from './base-metrics';
import { DERIVED_METRICS } from './derived-metrics';
import { columnMetric } from './column-aliases';
import type { BaseMetric, DerivedMetric, MetricDefinition } from './metric-definition';

const BY_ID = new Map<string, BaseMetric | DerivedMetric>([...BASE_METRICS, ...DERIVED_METRICS].map((metric) => [metric.id, metric]));

/** Every catalogue metric: the volumes, then the ratios. */
export const METRICS: readonly (BaseMetric | DerivedMetric)[] = [...BASE_METRICS, ...DERIVED_METRICS];

export function isMetricId(id: string): boolean {
  return BY_ID.has(id);
}

/** A catalogue metric by id; throws for an unknown id (a programming error, not user input). */
export function getMetric(id: string): BaseMetric | DerivedMetric {
  const metric = BY_ID.get(id);
  if (!metric) throw new Error(`unknown metric "${id}"`);
  return metric;
}

export function findMetric(id: string): BaseMetric | DerivedMetric | undefined {
  return BY_ID.get(id);
}

export function baseMetric(id: string): BaseMetric {
  const metric = getMetric(id);
  if (metric.kind !== 'base') throw new Error(`metric "${id}" is not read from a column`);
  return metric;
}

/** The base metrics a metric is computed from (itself for a base metric). */
export function inputsOf(metric: MetricDefinition): string[] {
  if (metric.kind === 'derived') return [metric.numerator, metric.denominator];
  return [metric.kind === 'base' ? metric.id : metric.column];
}

/**
 * The ratio of two base metrics (e.g. funnel stage to stage): the catalogue's when it has one
 * (clicks ÷ impressions is CTR), else one named after what it divides: "Add to cart (of detail
 * page views)". Counts over counts are percents, money over counts money, anything else a ratio.
 */
export function ratioMetric(numeratorId: string, denominatorId: string): DerivedMetric {
  const known = DERIVED_METRICS.find((metric) => metric.numerator === numeratorId && metric.denominator === denominatorId && !metric.scale);
  if (known) return known;
  // A result's own columns (custom funnel stages) are counts named after the column.
  const numerator = findMetric(numeratorId) ?? columnMetric(numeratorId);
  const denominator = findMetric(denominatorId) ?? columnMetric(denominatorId);
  const unit =
    numerator.unit === 'count' && denominator.unit === 'count' ? 'percent' : numerator.unit === 'currency' && denominator.unit === 'count' ? 'currency' : 'ratio';
  return {
    kind: 'derived',
    id: `${numeratorId}Of${denominatorId.charAt(0).toUpperCase()}${denominatorId.slice(1)}`,
    label: `${numerator.label} (of ${denominator.label.toLowerCase()})`,
    unit,
    numerator: numeratorId,
    denominator: denominatorId,
    upIsGood: numerator.upIsGood,
  };
}
