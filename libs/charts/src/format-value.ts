import type { ValueFormat } from './chart-spec';

/** Shown for a missing value (NULL, withheld by AMC, or not computable such as a rate over zero). */
export const MISSING_VALUE_TEXT = '—';

/**
 * Formats a value for labels, tooltips, tables and exports, identically on the server and in the
 * browser (no Intl / locale dependency, so an SVG rendered in CI equals the one in production).
 * - integer: rounded, thousands separators ("1,234,567")
 * - number: at most two decimals ("1,234.5")
 * - percent: from a ratio (0.1234 → "12.34%")
 * - currency: US dollars ("$1,234.56", "-$3.10")
 * - ratio: two decimals ("3.45"), e.g. ROAS
 */
export function formatValue(value: unknown, format: ValueFormat = 'number'): string {
  const numeric = toFiniteNumber(value);
  if (numeric === null) {
    return value === null || value === undefined || typeof value === 'number' ? MISSING_VALUE_TEXT : String(value);
  }
  switch (format) {
    case 'integer':
      return groupThousands(roundTo(numeric, 0).toFixed(0));
    case 'percent':
      return `${groupThousands(roundTo(numeric * 100, 2).toFixed(2))}%`;
    case 'currency': {
      const text = groupThousands(roundTo(Math.abs(numeric), 2).toFixed(2));
      return isNegativeAfterRounding(numeric, 2) ? `-$${text}` : `$${text}`;
    }
    case 'ratio':
      return groupThousands(roundTo(numeric, 2).toFixed(2));
    case 'number':
      return groupThousands(trimFraction(roundTo(numeric, 2).toFixed(2)));
  }
}

function toFiniteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

/**
 * Decimal rounding half away from zero, done on the decimal string so that 1.005 → 1.01
 * (plain `toFixed` works on the binary value and gives 1.00).
 */
function roundTo(value: number, decimals: number): number {
  // Exponent notation (very large or tiny values) cannot take the "e" shift below.
  if (String(Math.abs(value)).includes('e')) return Number(value.toFixed(decimals));
  const sign = value < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(value)}e${decimals}`));
  const rounded = sign * Number(`${shifted}e-${decimals}`);
  return Object.is(rounded, -0) ? 0 : rounded;
}

function isNegativeAfterRounding(value: number, decimals: number): boolean {
  return roundTo(value, decimals) < 0;
}

function trimFraction(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function groupThousands(text: string): string {
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const [whole, fraction] = unsigned.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
