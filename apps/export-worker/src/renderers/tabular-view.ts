import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { ZERO_DECIMAL_CURRENCIES, cleanFloat, exportHeading, roundTo } from '@amc-reports/metrics';
import { windowDays } from '@amc-reports/dashboards/src/time-window';
import { type ViewColumn, cellValue, viewColumns } from './view-columns';

/**
 * A view as a spreadsheet-grade table (CSV and Excel): its reader columns, plus the start and
 * end of each history point's time window as real dates (a history row's label "2026-10-01 –
 * 2026-10-31" is text a spreadsheet cannot sort or filter by).
 */
export interface TabularView {
  columns: ViewColumn[];
  rows: ChartRow[];
}

export function tabularView(view: BuiltView): TabularView {
  const columns = viewColumns(view);
  const refs = new Map((view.data.history ?? []).map((ref) => [ref.executionId, ref]));
  if (refs.size === 0 || !view.data.rows.some((row) => typeof row.executionId === 'string' && refs.has(row.executionId))) {
    return { columns, rows: view.data.rows };
  }
  const rows = view.data.rows.map((row) => {
    const ref = typeof row.executionId === 'string' ? refs.get(row.executionId) : undefined;
    // The first and last day the window covers in its zone (its end is exclusive).
    const days = ref ? windowDays({ start: ref.timeWindowStart, end: ref.timeWindowEnd, timeZone: ref.timeZone ?? null }) : null;
    return { ...row, windowStart: days?.first ?? null, windowEnd: days?.last ?? null };
  });
  const windows: ViewColumn[] = [
    { field: 'windowStart', label: 'Window start', kind: 'date' },
    { field: 'windowEnd', label: 'Window end', kind: 'date' },
  ];
  return { columns: [columns[0], ...windows, ...columns.slice(1)], rows };
}

/** A column heading with the unit a bare number cannot carry: "Spend (USD)", "Click-through rate (CTR) (%)". */
export function tabularHeading(column: ViewColumn): string {
  return exportHeading(column.label, column.kind === 'percent' ? 'percent' : column.kind === 'currency' ? 'currency' : undefined, column.currency);
}

/** Four significant digits, never fewer than the whole part: 3.4166 → 3.417, 12345.6 → 12346. */
export function significant(value: number, digits = 4): number {
  if (value === 0) return 0;
  if (Math.abs(value) >= 10 ** digits) return Math.round(value);
  return Number(value.toPrecision(digits));
}

/**
 * A number at its natural precision for a plain-text export: counts as integers (a fractional
 * attribution credit keeps two decimals), money to cents (yen whole), rates to four significant
 * digits (percents as percentages under a "(%)" heading), anything else without binary noise.
 */
export function naturalNumber(value: number, column: ViewColumn): number {
  switch (column.kind) {
    case 'count': {
      const rounded = Math.round(value);
      return Math.abs(value - rounded) < 1e-9 ? rounded : roundTo(value, 2);
    }
    case 'currency':
      return roundTo(value, ZERO_DECIMAL_CURRENCIES.has(column.currency ?? 'USD') ? 0 : 2);
    case 'percent':
      return significant(cleanFloat(value * 100));
    case 'ratio':
      return significant(value);
    default:
      return cleanFloat(value);
  }
}

/** "2026-10-01" (or a full ISO 8601 timestamp) for a date cell; undefined when the text is no date. */
export function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return undefined;
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** A cell as a CSV writes it: numbers unformatted at their natural precision, dates ISO 8601, text as it is. */
export function plainCell(row: ChartRow, column: ViewColumn): string | number | boolean | null {
  const value = cellValue(row, column);
  if (typeof value === 'number') return Number.isFinite(value) ? naturalNumber(value, column) : null;
  if (column.kind === 'date') return isoDate(value) ?? value;
  return value;
}
