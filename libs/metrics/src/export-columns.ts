import { cleanFloat, CURRENCY_SYMBOLS, DEFAULT_CURRENCY, type ValueFormat, ZERO_DECIMAL_CURRENCIES } from './format-value';

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

/**
 * The spreadsheet number format (Excel / ECMA-376 codes) of a value shown in `format`, the same
 * reading as formatValue: "$"#,##0.00 for dollars ("€", "£"…; yen without decimals; other codes
 * after the number), 0.00% for a fraction shown as a percent, #,##0 for counts; any other number
 * with two to four decimals (#,##0.## would print 1 as "1." — Excel keeps the point).
 */
export function spreadsheetNumberFormat(format: ValueFormat | 'count' | undefined, currency = DEFAULT_CURRENCY): string {
  switch (format) {
    case 'count':
    case 'integer':
      return '#,##0';
    case 'currency': {
      const digits = ZERO_DECIMAL_CURRENCIES.has(currency) ? '#,##0' : '#,##0.00';
      const symbol = CURRENCY_SYMBOLS[currency];
      return symbol ? `"${symbol}"${digits};-"${symbol}"${digits}` : `${digits} "${currency}"`;
    }
    case 'percent':
      return '0.00%';
    case 'ratio':
      return '0.00';
    default:
      return '#,##0.00##';
  }
}
