import type { ChartRow, ChartSpec } from './chart-spec';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** About the width of one character of a 12 px label. */
export const LABEL_CHAR_PX = 6.6;
/** Bar charts whose names are longer than this read better as horizontal bars. */
export const HORIZONTAL_LABEL_CHARS = 18;
export const MAX_HORIZONTAL_LABEL_PX = 220;

/** "2026-10-01" → "Oct 1" (with the year on the first label and where it changes); other text unchanged. */
export function formatDayLabel(value: string, previous?: string): string {
  const match = ISO_DAY.exec(value);
  if (!match) return value;
  const label = `${MONTHS[Number(match[2]) - 1]} ${Number(match[3])}`;
  const previousYear = previous ? ISO_DAY.exec(previous)?.[1] : undefined;
  return previousYear === match[1] ? label : `${label}, ${match[1]}`;
}

/** A time axis tick (ECharts reads "YYYY-MM-DD" as local midnight, so local getters give the day back). */
export function formatTimeTick(timestamp: number): string {
  const date = new Date(timestamp);
  return `${MONTHS[date.getMonth()]} ${date.getDate()}`;
}

export function categoryValues(spec: ChartSpec, rows: readonly ChartRow[]): string[] {
  const field = spec.x?.field;
  return field ? rows.map((row) => String(row[field] ?? '')) : [];
}

export function isDayCategoryAxis(categories: readonly string[]): boolean {
  return categories.length > 0 && categories.every((value) => ISO_DAY.test(value));
}

/** Bars with long names (campaigns, paths) lie down, so every name has a line of its own. */
export function prefersHorizontalBars(spec: ChartSpec, categories: readonly string[], singleScale: boolean): boolean {
  if (spec.kind !== 'bar' && spec.kind !== 'stacked-bar') return false;
  if ((spec.x?.type ?? 'category') !== 'category' || !singleScale || isDayCategoryAxis(categories)) return false;
  return Math.max(0, ...categories.map((value) => value.length)) > HORIZONTAL_LABEL_CHARS;
}

/**
 * Labels of a category axis: every category labelled (interval 0), truncated with an ellipsis to
 * its slot instead of broken mid-word, tilted when the slots are narrow; the tooltip and the
 * numbers table carry the full name. Days read "Oct 1".
 */
export function categoryAxisLabel(categories: readonly string[], plotWidth: number, horizontal: boolean): Record<string, unknown> {
  const days = isDayCategoryAxis(categories);
  const formatter = days ? (value: string, index: number) => formatDayLabel(value, index > 0 ? categories[index - 1] : undefined) : undefined;
  const common = { interval: 0, hideOverlap: false, overflow: 'truncate', ellipsis: '…', ...(formatter ? { formatter } : {}) };
  if (horizontal) return { ...common, width: Math.min(MAX_HORIZONTAL_LABEL_PX, Math.round(plotWidth * 0.4)) };
  const shown = categories.map((value, index) => (formatter ? formatter(value, index) : value));
  const widest = Math.max(1, ...shown.map((value) => value.length)) * LABEL_CHAR_PX;
  const slot = plotWidth / Math.max(1, categories.length);
  if (slot >= widest + 8) return { ...common, width: Math.floor(slot - 4) };
  if (slot >= 16) return { ...common, rotate: 40, width: 110 };
  // Too many to label one by one (daily rows as categories): ECharts thins them; the table lists all.
  return { hideOverlap: true, overflow: 'truncate', width: 110, rotate: 40, ...(formatter ? { formatter } : {}) };
}
