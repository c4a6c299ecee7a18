import { BASE_METRICS } from './base-metrics';
import { findMetric } from './catalogue';
import { DERIVED_METRICS } from './derived-metrics';
import { formulaText } from './formula-text';
import type { UpIsGood } from './metric-definition';

const direction = (upIsGood: UpIsGood) => (upIsGood === null ? 'neither' : upIsGood ? 'up' : 'down');

/** The README's table of metrics, from the catalogue itself (a test keeps the README equal to it). */
export function catalogueMarkdownTable(): string {
  const rows = [
    '| id | label | unit | formula | AMC columns (volumes) · inputs (ratios) | good when |',
    '|---|---|---|---|---|---|',
    ...BASE_METRICS.map(
      (metric) => `| \`${metric.id}\` | ${metric.label} | ${metric.unit} | sum over rows | ${metric.stems.map((stem) => `\`${stem}\``).join(', ')} | ${direction(metric.upIsGood)} |`,
    ),
    ...DERIVED_METRICS.map((metric) => {
      const inputs = [metric.numerator, metric.denominator].map((id) => `\`${findMetric(id)?.id ?? id}\``).join(' ÷ ');
      return `| \`${metric.id}\` | ${metric.label} | ${metric.unit} | ${formulaText(metric)} | ${inputs} | ${direction(metric.upIsGood)} |`;
    }),
  ];
  return rows.join('\n');
}
