import { MISSING_VALUE_TEXT } from '@amc-reports/metrics';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { cellValue, formatCell, isNumericColumn, viewColumns } from './view-columns';
import { comparableText } from './printable-text';

/** The numeric cells of tables as the source formats them: what a PDF or PNG must show in full. */
export function expectedTableNumbers(views: readonly BuiltView[], rowsPerView = Number.POSITIVE_INFINITY): string[] {
  const numbers: string[] = [];
  for (const view of views) {
    const columns = viewColumns(view).filter(isNumericColumn);
    for (const row of view.data.rows.slice(0, rowsPerView)) {
      for (const column of columns) {
        const text = formatCell(cellValue(row, column), column);
        if (text !== MISSING_VALUE_TEXT) numbers.push(text);
      }
    }
  }
  return numbers;
}

/**
 * The first number of `expected` that the extracted PDF text does not hold in full. (A digit
 * before an ellipsis proves nothing: a shortened name may end in a year.) Whole tokens are looked up first (a set of the text's words), the squashed
 * text only for what is not a token, so a 1,000-row table is checked in milliseconds.
 */
export function findCutNumberInText(text: string, expected: readonly string[]): string | undefined {
  const tokens = new Set(text.split(/\s+/));
  const squashed = comparableText(text);
  for (const number of expected) {
    if (tokens.has(number)) continue;
    if (!squashed.includes(comparableText(number))) return `the table value "${number}" is not shown in full`;
  }
  return undefined;
}

/** The first expected number the renderer did not draw as it is (PNG: drawn cells against the source). */
export function findCutNumberInCells(drawn: readonly string[], expected: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const text of drawn) {
    if (text.includes('…')) return `a number is cut: "${text}"`;
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  for (const number of expected) {
    const left = counts.get(number) ?? 0;
    if (left === 0) return `the table value "${number}" is not shown in full`;
    counts.set(number, left - 1);
  }
  return undefined;
}
