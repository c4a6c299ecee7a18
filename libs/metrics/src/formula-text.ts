import type { BaseMetricId } from './base-metrics';
import { findMetric } from './catalogue';
import { columnMetric } from './column-aliases';
import type { MetricFrame } from './metric-frame';
import type { MetricDefinition } from './metric-definition';

function definitionOf(metric: MetricDefinition | string): MetricDefinition {
  return typeof metric === 'string' ? (findMetric(metric) ?? columnMetric(metric)) : metric;
}

function labelOf(id: string): string {
  return findMetric(id)?.label ?? id;
}

/** The formula in words, independent of any result: "Clicks ÷ Impressions", "Spend ÷ Impressions × 1,000". */
export function formulaText(metric: MetricDefinition | string): string {
  const definition = definitionOf(metric);
  if (definition.kind === 'column') return `Sum of ${definition.column}`;
  if (definition.kind === 'base') return `Sum of ${definition.label.toLowerCase()} over the result's rows`;
  const scale = definition.scale ? ` × ${definition.scale.toLocaleString('en-US')}` : '';
  return `${labelOf(definition.numerator)} ÷ ${labelOf(definition.denominator)}${scale}`;
}

/** Where a base metric comes from in this result: "sum of total_cost (millicents ÷ 100,000)". */
function sourceOf(id: string, frame: MetricFrame): string {
  const resolved = frame.columns[id as BaseMetricId];
  if (!resolved) return 'not in this result';
  const columns = resolved.columns.join(' + ');
  if (id === 'spend' && frame.spend && frame.spend.unit !== 'dollars') {
    return `sum of ${columns} in ${frame.spend.unit} ÷ ${frame.spend.divisor.toLocaleString('en-US')} (${frame.currency})`;
  }
  return `sum of ${columns}`;
}

/**
 * The formula of a number with the columns it comes from in this result, for a tooltip in the page
 * and a footnote in the PDF: "ROAS = Sales ÷ Spend; Sales: sum of product_sales; Spend: sum of
 * total_cost in millicents ÷ 100,000 (USD). Sums over rows, then divided."
 */
export function describeFormula(metric: MetricDefinition | string, frame: MetricFrame): string {
  const definition = definitionOf(metric);
  if (definition.kind === 'column') return `${definition.label} = sum of ${definition.column}`;
  if (definition.kind === 'base') return `${definition.label} = ${sourceOf(definition.id, frame)}`;
  const inputs = [definition.numerator, definition.denominator].map((id) => `${labelOf(id)}: ${sourceOf(id, frame)}`);
  return `${definition.label} = ${formulaText(definition)}; ${inputs.join('; ')}. Sums over rows, then divided.`;
}
