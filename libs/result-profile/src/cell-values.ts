import type { ColumnKind } from '@amc-reports/contracts/src/result-profile';

/**
 * Reading one cell of an AMC result. CSV cells are strings; inline rows may also hold numbers,
 * booleans, null and (for array-like columns) real arrays. Every reader returns `undefined` for
 * a cell that does not fit, so the caller can count it as invalid.
 */

/** Empty, NULL / null (any case) or whitespace only: the cell has no value. */
export function isNullCell(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value !== 'string') return false;
  if (value === '') return true;
  if (value.length === 4) return value.toLowerCase() === 'null';
  // Cheap first-character test before the regex: almost no real cell starts with a blank.
  return (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) && /^\s*(null)?\s*$/i.test(value);
}

const NUMBER_PATTERN = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A decimal number ("690.0", "-3", "1.2e5"); not hex, not "Infinity", not "1,234". */
export function readNumberCell(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && NUMBER_PATTERN.test(value)) {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * An ISO date or date-time, reduced to its calendar date (YYYY-MM-DD) as written: AMC already
 * reports dates in the instance's time zone, so no conversion is applied.
 */
export function readDateCell(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const match = DATE_PATTERN.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return match[0].slice(0, 10);
}

export function readBooleanCell(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

/** AMC's `path`-like text (`[[1, "X"], [2, "Y"]]`) or a real array from inline rows, as its text. */
export function readArrayCell(value: unknown): string | undefined {
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text.startsWith('[') && text.endsWith(']') ? text : undefined;
}

/** Whether a `filtered` flag cell says "withheld": true, "true", 1 or "1". */
export function isFlagSet(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (typeof value !== 'string') return false;
  const lower = value.trim().toLowerCase();
  return lower === 'true' || lower === '1';
}

/**
 * The bucket key of a non-NULL dimension cell of the given kind: booleans as `true` / `false`,
 * array-like text trimmed, any other text as written; cut to `maxLength` characters.
 * `undefined` when the cell does not fit the kind.
 */
export function readDimensionKey(cell: unknown, kind: ColumnKind, maxLength: number): string | undefined {
  let text: string | undefined;
  if (kind === 'boolean') {
    const flag = readBooleanCell(cell);
    text = flag === undefined ? undefined : String(flag);
  } else if (kind === 'array') {
    text = readArrayCell(cell);
  } else {
    text = typeof cell === 'string' && cell.length <= maxLength ? cell : readTextCell(cell, maxLength);
  }
  if (text === undefined) return undefined;
  return text.length > maxLength ? readTextCell(text, maxLength) : text;
}

/** The text of a dimension cell, cut to `maxLength` characters so a pathological value cannot blow memory. */
export function readTextCell(value: unknown, maxLength: number): string {
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
