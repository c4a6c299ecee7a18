import { formatValue } from '@amc-reports/metrics';
import type { NumberUnit } from '../findings/finding';

/**
 * The one way templates write numbers: the metric layer's formatting (the dashboard's, the PDF's),
 * so "$1,500.00" or "0.0123%" in an insight reads exactly as on the page. Verification
 * (extract-numbers.ts) reads these shapes back: thousands separators, a currency symbol, "%" for
 * percent, " pp" for percentage points. Findings store percents as percentages (12.5 = 12.5 %).
 */
const formatters = new Map<number, Intl.NumberFormat>();

function formatterFor(decimals: number): Intl.NumberFormat {
  let formatter = formatters.get(decimals);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });
    formatters.set(decimals, formatter);
  }
  return formatter;
}

/** Decimals the value actually carries (findings store rounded values), at most 6. */
export function decimalsOf(value: number): number {
  for (let decimals = 0; decimals < 6; decimals++) {
    const factor = 10 ** decimals;
    if (Math.abs(Math.round(value * factor) - value * factor) < 1e-6) return decimals;
  }
  return 6;
}

/** Magnitude only: templates say "fell" / "rose" in words rather than signs. */
export function formatAmount(value: number, unit: NumberUnit, currency?: string): string {
  const magnitude = Math.abs(value);
  switch (unit) {
    case 'percent':
      return formatValue(magnitude / 100, 'percent');
    case 'points':
      return formatValue(magnitude / 100, 'percent').replace(/%$/, ' pp');
    case 'currency':
      return formatValue(magnitude, 'currency', { currency });
    case 'ratio':
      return formatValue(magnitude, 'ratio');
    default:
      return formatValue(magnitude, 'number');
  }
}

/** With an explicit sign, for changes in parentheses: "+2,439", "-84.05%". */
export function formatSigned(value: number, unit: NumberUnit, currency?: string): string {
  const sign = value > 0 ? '+' : value < 0 ? '-' : '';
  return `${sign}${formatAmount(value, unit, currency)}`;
}

/** Statistics (R², z) with two decimals. */
export function formatStatistic(value: number): string {
  return `${value < 0 ? '-' : ''}${formatterFor(2).format(Math.abs(value))}`;
}
