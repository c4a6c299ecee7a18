import type { ChartSeries } from '@amc-reports/charts/src/chart-spec';
import type { MetricTotals } from '@amc-reports/contracts/src/result-profile';
import {
  describeFormula,
  formatForUnit,
  hasMetric,
  metricById,
  metricLabel,
  type MetricDefinition,
  type MetricFrame,
  metricValue,
  readSums,
} from '@amc-reports/metrics';

/** A number or null when unknown (no column, every row withheld, or a rate over zero). */
export type MaybeNumber = number | null;

type MetricRef = MetricDefinition | string;
const definitionOf = (metric: MetricRef): MetricDefinition => (typeof metric === 'string' ? metricById(metric) : metric);

/**
 * The builders' one way to a number: catalogue metrics (libs/metrics) read from a bucket's totals
 * through the result's metric frame (columns, spend unit, currency). Builders keep no formula.
 */
export class MetricReader {
  constructor(readonly frame: MetricFrame) {}

  has(metric: MetricRef): boolean {
    return hasMetric(this.frame, definitionOf(metric));
  }

  /** The metrics of `ids` this result can compute, in the given order. */
  present(ids: readonly string[]): string[] {
    return ids.filter((id) => this.has(id));
  }

  value(totals: MetricTotals | undefined, metric: MetricRef): MaybeNumber {
    return metricValue(definitionOf(metric), readSums(totals, this.frame));
  }

  /** `{ [id]: value }` for a row of a view. */
  values(totals: MetricTotals | undefined, metrics: readonly MetricRef[]): Record<string, MaybeNumber> {
    const sums = readSums(totals, this.frame);
    return Object.fromEntries(metrics.map((metric) => [definitionOf(metric).id, metricValue(definitionOf(metric), sums)]));
  }

  label(metric: MetricRef): string {
    return metricLabel(definitionOf(metric), this.frame);
  }

  /** A chart / table series showing a metric: field = metric id, label and format from the catalogue. */
  series(metric: MetricRef, extra: Partial<ChartSeries> = {}): ChartSeries {
    const definition = definitionOf(metric);
    return { field: definition.id, label: this.label(definition), format: formatForUnit(definition.unit), metric: definition.id, ...extra };
  }

  /** `data.formulas` of a view: each metric's formula with this result's columns. */
  formulas(metrics: readonly MetricRef[]): Record<string, string> {
    return Object.fromEntries(metrics.map((metric) => [definitionOf(metric).id, describeFormula(definitionOf(metric), this.frame)]));
  }

  /** Always said, dollars included: the unit of spend is a guess unless the settings fix it. */
  spendNotes(): string[] {
    return this.frame.spend ? [`spend: ${this.frame.spend.reason}`] : [];
  }

  spendUnit() {
    return this.frame.spend ? { spendUnit: { ...this.frame.spend } } : {};
  }
}
