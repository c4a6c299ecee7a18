import type { ColumnKind } from '@amc-reports/contracts/src/result-profile';
import { isNullCell, readArrayCell, readBooleanCell, readDateCell, readNumberCell } from './cell-values';

/** The column AMC adds when it returns withheld rows instead of dropping them. */
export const FILTERED_COLUMN_NAME = 'filtered';

/**
 * Identifier columns (`campaign_id`, `campaign_id_string`, `frequency_bucket` holding 1, 2, 3...)
 * look numeric but summing them is meaningless: they are dimensions (kind `string`).
 */
const IDENTIFIER_NAME_PATTERN = /(^|_)id(_string)?$|^(frequency|frequency_bucket|bucket)$/i;

export function isIdentifierName(name: string): boolean {
  return IDENTIFIER_NAME_PATTERN.test(name);
}

export function isFilteredFlagName(name: string): boolean {
  return name.trim().toLowerCase() === FILTERED_COLUMN_NAME;
}

/** The kind of one non-NULL cell. */
export function sniffCellKind(value: unknown): ColumnKind {
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value !== 'string') return 'string';
  if (readNumberCell(value) !== undefined) return 'number';
  if (readBooleanCell(value) !== undefined) return 'boolean';
  if (readDateCell(value) !== undefined) return 'date';
  if (readArrayCell(value) !== undefined) return 'array';
  return 'string';
}

/**
 * A column's kind from a sample of its cells (NULL cells ignored):
 * - every non-NULL cell of one kind → that kind; any mix → `string` (text takes everything);
 * - a numeric identifier name (`*_id`, `*_id_string`, `frequency_bucket`) → `string`;
 * - the `filtered` column → `boolean`;
 * - no non-NULL cell at all → `number` (AMC returns all-NULL columns when its privacy
 *   threshold withholds a metric; dimensions are never all NULL), or `string` for identifiers.
 */
export function sniffColumnKind(name: string, sample: Iterable<unknown>): ColumnKind {
  if (isFilteredFlagName(name)) return 'boolean';
  const seen = new Set<ColumnKind>();
  for (const value of sample) {
    if (isNullCell(value)) continue;
    seen.add(sniffCellKind(value));
    if (seen.size > 1) return 'string';
  }
  const [kind] = seen;
  if (kind === undefined) return isIdentifierName(name) ? 'string' : 'number';
  if (kind === 'number' && isIdentifierName(name)) return 'string';
  return kind;
}

/** Kinds of every column from the first rows of a result (rows are arrays in column order). */
export function sniffColumnKinds(columns: readonly string[], sampleRows: readonly (readonly unknown[])[]): ColumnKind[] {
  return columns.map((name, index) => sniffColumnKind(name, columnCells(sampleRows, index)));
}

function* columnCells(rows: readonly (readonly unknown[])[], index: number): Iterable<unknown> {
  for (const row of rows) yield row[index];
}
