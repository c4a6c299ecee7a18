import type { NumberUnit } from '../findings/finding';

/**
 * The one way templates write numbers; verification (extract-numbers.ts) reads exactly these
 * shapes back: thousands separators, "%" for percent, " pp" for percentage points, "x" for ratios.
 * No currency symbol: AMC reports amounts in the marketplace's currency, which a profile does not name.
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
export function formatAmount(value: number, unit: NumberUnit): string {
  const magnitude = Math.abs(value);
  const decimals = unit === 'currency' && magnitude >= 1 ? 2 : decimalsOf(magnitude);
  const digits = formatterFor(decimals).format(magnitude);
  switch (unit) {
    case 'percent':
      return `${digits}%`;
    case 'points':
      return `${digits} pp`;
    case 'ratio':
      return `${digits}x`;
    default:
      return digits;
  }
}

/** With an explicit sign, for changes in parentheses: "+2,439", "-84.05%". */
export function formatSigned(value: number, unit: NumberUnit): string {
  const sign = value > 0 ? '+' : value < 0 ? '-' : '';
  return `${sign}${formatAmount(value, unit)}`;
}

/** Statistics (R², z) with two decimals. */
export function formatStatistic(value: number): string {
  return `${value < 0 ? '-' : ''}${formatterFor(2).format(Math.abs(value))}`;
}
