import { formatValue, MISSING_VALUE_TEXT, type ChartRow, type ChartSpec, type ValueFormat } from '@amc-reports/charts';
import { humanize } from '../display-format';
import { h, replaceChildren } from '../dom';

interface Column {
  field: string;
  label: string;
  /** Absent for the category column (text). */
  format?: ValueFormat;
  /** The metric layer's formula of the column's numbers: the header's tooltip. */
  formula?: string;
}

type Direction = 'ascending' | 'descending';

const GAP_WORDS: Record<string, string> = { failed: 'Failed', unusable: 'Not usable', missing: 'No execution', pending: 'Not finished' };

export interface SortableTable {
  element: HTMLElement;
  update(rows: ChartRow[]): void;
}

function columnsOf(spec: ChartSpec, formulas: Record<string, string>): Column[] {
  const columns: Column[] = spec.x ? [{ field: spec.x.field, label: spec.x.label ?? humanize(spec.x.field) }] : [];
  for (const series of spec.series) {
    if (columns.some((column) => column.field === series.field)) continue;
    const formula = formulas[series.field];
    columns.push({ field: series.field, label: series.label, format: series.format ?? spec.format ?? 'number', ...(formula ? { formula } : {}) });
  }
  return columns;
}

/** Nulls sort last in both directions: a withheld value is not a small one. */
function compare(a: ChartRow[string], b: ChartRow[string], direction: Direction): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  const order = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
  return direction === 'ascending' ? order : -order;
}

/**
 * A table of a view's rows, formatted with libs/charts' formatValue (as in the exports). Each
 * column header is a button: Enter or Space sorts, again reverses; aria-sort tells screen readers.
 */
export function createSortableTable(
  spec: ChartSpec, caption: string, formulas: Record<string, string> = {},
  /** Columns the chart does not draw (a compared view's Δ and Δ %). */
  extraColumns: { field: string; label: string; format?: ValueFormat }[] = [],
): SortableTable {
  const columns = columnsOf(spec, formulas);
  for (const extra of extraColumns) {
    if (!columns.some((column) => column.field === extra.field)) columns.push({ field: extra.field, label: extra.label, format: extra.format ?? 'number' });
  }
  const currency = { currency: spec.currency };
  let rows: ChartRow[] = [];
  let sort: { field: string; direction: Direction } | null = null;
  const headRow = h('tr');
  const body = h('tbody');
  const table = h('table', { class: 'data-table' }, h('caption', { class: 'sr-only' }, caption), h('thead', null, headRow), body);

  const renderHead = (): void => {
    replaceChildren(headRow, ...columns.map((column) => {
      const active = sort?.field === column.field;
      const th = h('th', {
        // A compared window's column names its dates: wide enough to read them in two lines, not five.
        class: [column.format ? 'numeric' : '', /\.previous$/.test(column.field) ? 'compared-column' : ''].filter(Boolean).join(' ') || undefined,
        attrs: { scope: 'col', 'aria-sort': active && sort ? sort.direction : 'none', ...(column.formula ? { title: column.formula } : {}) },
      });
      const indicator = active ? (sort?.direction === 'ascending' ? '▲' : '▼') : '↕';
      th.append(h('button', {
        class: 'sort-button',
        attrs: { type: 'button', title: `Sort by ${column.label}` },
        on: { click: () => sortBy(column) },
      }, column.label, h('span', { class: `sort-indicator${active ? ' active' : ''}`, attrs: { 'aria-hidden': 'true' } }, indicator)));
      return th;
    }));
  };

  const renderBody = (): void => {
    const sorted = sort ? [...rows].sort((a, b) => compare(a[sort!.field], b[sort!.field], sort!.direction)) : rows;
    if (sorted.length === 0) {
      replaceChildren(body, h('tr', null, h('td', { class: 'muted', attrs: { colspan: columns.length } }, 'No rows in this run.')));
      return;
    }
    replaceChildren(body, ...sorted.map((row) => h('tr', { class: row.gap ? 'gap-row' : undefined, dataset: row.gap ? { gap: String(row.gap) } : {} }, ...columns.map((column, index) => {
      const value = row[column.field];
      const text = column.format ? formatValue(value, column.format, currency) : value === null || value === undefined ? MISSING_VALUE_TEXT : String(value);
      const withheld = text === MISSING_VALUE_TEXT;
      // A window without numbers (failed, no execution) says so; its dashes are not withheld values.
      const attrs = row.gap ? { title: `${GAP_WORDS[String(row.gap)] ?? row.gap}${row.gapReason ? `: ${row.gapReason}` : ''}` } : withheld ? { title: 'Withheld by AMC or not computable' } : {};
      return index === 0 && !column.format
        ? h('th', { attrs: { scope: 'row', ...attrs } }, text, row.gap ? h('span', { class: 'tag tag-gap' }, GAP_WORDS[String(row.gap)] ?? String(row.gap)) : null)
        : h('td', { class: column.format ? 'numeric' : undefined, attrs }, text);
    }))));
  };

  const sortBy = (column: Column): void => {
    // Numbers start largest first (what a report reader looks for), text A→Z.
    const first: Direction = column.format ? 'descending' : 'ascending';
    sort = sort?.field === column.field
      ? { field: column.field, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' }
      : { field: column.field, direction: first };
    renderHead();
    renderBody();
    headRow.querySelector<HTMLButtonElement>(`th:nth-child(${columns.indexOf(column) + 1}) button`)?.focus();
  };

  renderHead();
  return {
    element: h('div', { class: 'table-scroll', attrs: { tabindex: 0, role: 'region', 'aria-label': caption } }, table),
    update(next) {
      rows = next;
      renderBody();
    },
  };
}
