import { cleanFloat, DEFAULT_CURRENCY, type ValueFormat } from './format-value';

/**
 * A column heading of a plain-text export (CSV): the label the page shows, with the unit a bare
 * number cannot carry: "Spend (USD)", "Click-through rate (CTR) (%)".
 */
export function exportHeading(label: string, format: ValueFormat | undefined, currency = DEFAULT_CURRENCY): string {
  if (format === 'currency') return `${label} (${currency})`;
  if (format === 'percent') return `${label} (%)`;
  return label;
}

/** A number as a plain-text export writes it: percents as percentages (1.23 under "(%)"), the rest as they are. */
export function exportNumber(value: number, format: ValueFormat | undefined): number {
  return format === 'percent' ? cleanFloat(value * 100) : value;
}
