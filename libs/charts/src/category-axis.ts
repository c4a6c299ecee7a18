import type { ChartRow, ChartSpec } from './chart-spec';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** About the width of one character of a 12 px label. */
export const LABEL_CHAR_PX = 6.6;
/** Bar charts whose names are longer than this read better as horizontal bars. */
export const HORIZONTAL_LABEL_CHARS = 18;
export const MAX_HORIZONTAL_LABEL_PX = 240;

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
 * A label on at most `maxLines` lines of `maxChars`, broken only between words ("Clicks →
 * Detail page views" → "Clicks →" / "Detail page views"); what does not fit ends in "…". A name
 * without spaces (Holiday_Sponsored_Products) is never cut inside: it is truncated whole.
 */
export function wrapLabel(text: string, maxChars: number, maxLines = 2): string {
  // Steps ("Clicks → Add to cart") break after their arrows first, then between words.
  const segments = text.split(/\s+→\s+/).map((segment, index, all) => (index < all.length - 1 ? `${segment} →` : segment));
  const lines: string[] = [];
  let current = '';
  const push = (piece: string) => {
    const next = current ? `${current} ${piece}` : piece;
    if (next.length <= maxChars || current === '') current = next;
    else {
      lines.push(current);
      current = piece;
    }
  };
  for (const segment of segments) {
    if (segment.length <= maxChars && (current ? `${current} ${segment}` : segment).length > maxChars && current !== '') {
      lines.push(current);
      current = segment;
    } else if (segment.length <= maxChars) push(segment);
    else for (const word of segment.split(/\s+/).filter(Boolean)) push(word);
  }
  if (current) lines.push(current);
  const kept = lines.slice(0, maxLines);
  const cut = lines.length > maxLines;
  return kept
    .map((line, index) => {
      const last = index === kept.length - 1;
      if (line.length > maxChars || (last && cut)) return `${line.slice(0, Math.max(1, maxChars - 1)).trimEnd()}…`;
      return line;
    })
    .join('\n');
}

/**
 * Labels of a category axis: every category labelled (interval 0), wrapped between words and
 * truncated with an ellipsis to its slot instead of broken mid-word, tilted when the slots are
 * narrow; the tooltip and the numbers table carry the full name. Days read "Oct 1".
 */
export function categoryAxisLabel(categories: readonly string[], width: number, horizontal: boolean): Record<string, unknown> {
  const days = isDayCategoryAxis(categories);
  const dayFormatter = days ? (value: string, index: number) => formatDayLabel(value, index > 0 ? categories[index - 1] : undefined) : undefined;
  const common = { interval: 0, hideOverlap: false, overflow: 'truncate', ellipsis: '…' };
  const wrapped = (slotPx: number, lines: number) => ({
    ...common,
    width: Math.floor(slotPx),
    lineHeight: 14,
    formatter: dayFormatter ?? ((value: string) => wrapLabel(value, Math.max(4, Math.floor(slotPx / LABEL_CHAR_PX)), lines)),
  });
  if (horizontal) return wrapped(horizontalLabelWidth(width), 2);
  const shown = categories.map((value, index) => (dayFormatter ? dayFormatter(value, index) : value));
  const widest = Math.max(1, ...shown.map((value) => value.length)) * LABEL_CHAR_PX;
  const slot = width / Math.max(1, categories.length);
  const longestWord = Math.max(1, ...shown.flatMap((value) => value.split(/\s+/).map((word) => word.length))) * LABEL_CHAR_PX;
  if (slot >= widest + 8) return { ...wrapped(slot - 4, 1) };
  // Words fit their slot: wrap between them on up to three lines rather than tilting.
  if (slot >= longestWord + 8 && categories.length <= 12) return wrapped(slot - 4, 3);
  const formatter = dayFormatter;
  if (slot >= 16) return { ...common, rotate: 40, width: 110, ...(formatter ? { formatter } : {}) };
  // Too many to label one by one (daily rows as categories): ECharts thins them; the table lists all.
  return { hideOverlap: true, overflow: 'truncate', width: 110, rotate: 40, ...(formatter ? { formatter } : {}) };
}

/** Room for the names of horizontal bars: up to 45 % of the chart, at most 240 px. */
export function horizontalLabelWidth(chartWidth: number): number {
  return Math.min(MAX_HORIZONTAL_LABEL_PX, Math.round(chartWidth * 0.45));
}
