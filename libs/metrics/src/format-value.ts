import type { MetricUnit } from './metric-definition';

/** The display formats of chart specs and tables; every metric unit maps onto one of them. */
export const VALUE_FORMATS = ['integer', 'number', 'percent', 'currency', 'ratio'] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

/** Shown for a missing value (NULL, withheld by AMC, or not computable such as a rate over zero). */
export const MISSING_VALUE_TEXT = '—';

export const DEFAULT_CURRENCY = 'USD';

export interface FormatOptions {
  /** ISO 4217 code of the result's currency (default USD). */
  currency?: string;
}

/** Counts may carry fractions (linear attribution credits 883.22 conversions), so they are not forced to integers. */
export function formatForUnit(unit: MetricUnit): ValueFormat {
  return unit === 'count' ? 'number' : unit;
}

export const CURRENCY_SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CAD: 'CA$', AUD: 'A$', INR: '₹', MXN: 'MX$', BRL: 'R$' };
export const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW']);

/**
 * Decimals a value is shown (and insights quote it) with: integer 0, number at most 2, currency 2
 * (0 for yen), ratio 2, percent 2 of the percentage — and three significant digits for a
 * percentage under 0.1 (a CTR of 0.0123 % must not read 0.01 %), at most 6.
 */
export function decimalsFor(value: number, format: ValueFormat, options: FormatOptions = {}): { decimals: number; trim: boolean } {
  switch (format) {
    case 'integer':
      return { decimals: 0, trim: false };
    case 'number':
      return { decimals: 2, trim: true };
    case 'currency':
      return { decimals: ZERO_DECIMAL_CURRENCIES.has(options.currency ?? DEFAULT_CURRENCY) ? 0 : 2, trim: false };
    case 'ratio':
      return { decimals: 2, trim: false };
    case 'percent': {
      const magnitude = Math.abs(value * 100);
      if (magnitude === 0 || magnitude >= 0.1) return { decimals: 2, trim: false };
      const decimals = Math.min(6, 2 - Math.floor(Math.log10(magnitude)));
      // Under the last decimal shown it reads as zero, with the usual two decimals.
      return { decimals: roundTo(magnitude, decimals) === 0 ? 2 : decimals, trim: false };
    }
  }
}

/**
 * Formats a value for labels, tooltips, tables, insights and exports, identically on the server
 * and in the browser (no Intl / locale dependency, so an SVG rendered in CI equals production's).
 * integer "1,234,567"; number "1,234.5"; percent from a fraction "12.34%"; currency "$1,234.56",
 * "-$3.10", "€5.00", "1,234.56 SEK"; ratio "3.45" (e.g. ROAS).
 */
export function formatValue(value: unknown, format: ValueFormat = 'number', options: FormatOptions = {}): string {
  const numeric = toFiniteNumber(value);
  if (numeric === null) {
    return value === null || value === undefined || typeof value === 'number' ? MISSING_VALUE_TEXT : String(value);
  }
  const shown = format === 'percent' ? numeric * 100 : numeric;
  const { decimals, trim } = decimalsFor(numeric, format, options);
  const rounded = roundTo(Math.abs(shown), decimals);
  let digits = groupThousands(rounded.toFixed(decimals));
  if (trim) digits = trimFraction(digits);
  const negative = rounded !== 0 && shown < 0;
  const sign = negative ? '-' : '';
  switch (format) {
    case 'percent':
      return `${sign}${digits}%`;
    case 'currency': {
      const code = options.currency ?? DEFAULT_CURRENCY;
      const symbol = CURRENCY_SYMBOLS[code];
      return symbol ? `${sign}${symbol}${digits}` : `${sign}${digits} ${code}`;
    }
    default:
      return `${sign}${digits}`;
  }
}

export function formatMetricValue(value: unknown, unit: MetricUnit, options: FormatOptions = {}): string {
  return formatValue(value, formatForUnit(unit), options);
}

/** The value as it is shown (fractions for percents): what insights store, so their numbers read back the same. */
export function roundMetricValue(value: number, unit: MetricUnit, options: FormatOptions = {}): number {
  const format = formatForUnit(unit);
  const { decimals } = decimalsFor(value, format, options);
  if (format === 'percent') return cleanFloat(roundTo(value * 100, decimals) / 100);
  return roundTo(value, decimals);
}

/** Drops binary noise (9530.250000000002 → 9530.25): 15 significant digits is what a double holds exactly. */
export function cleanFloat(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(15));
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
export function roundTo(value: number, decimals: number): number {
  // Exponent notation (very large or tiny values) cannot take the "e" shift below.
  if (String(Math.abs(value)).includes('e')) return Number(value.toFixed(decimals));
  const sign = value < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(value)}e${decimals}`));
  const rounded = sign * Number(`${shifted}e-${decimals}`);
  return Object.is(rounded, -0) ? 0 : rounded;
}

function trimFraction(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function groupThousands(text: string): string {
  const [whole, fraction] = text.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
