/**
 * How a table fits a width, for the PDF and the PNG alike (each passes its own text measure: the
 * embedded font at its own size). The rules, in order:
 *
 * - a numeric column is exactly as wide as its widest formatted value (every row is measured, not
 *   a sample): a number is never wrapped, shortened or shrunk;
 * - a text column (a campaign name) wraps onto up to `maxTextLines` lines and only then shortens
 *   with an ellipsis; it never gets narrower than `minTextWidth`;
 * - headers wrap between words onto up to `maxHeaderLines` lines, never narrower than their longest word;
 * - what does not fit the width is split into column groups that each repeat the key column
 *   (the row's name), so every group reads on its own; the caller labels them.
 *
 * Pure: no drawing, only widths and lines.
 */

export type MeasureText = (text: string, bold: boolean) => number;

export interface LayoutColumn {
  label: string;
  numeric: boolean;
}

export interface TableLayoutOptions {
  measure: MeasureText;
  /** The width the table may take. */
  width: number;
  /** Left + right padding of a cell together. */
  padding: number;
  minTextWidth: number;
  /** A text column grows at most to this before it wraps. */
  maxTextWidth: number;
  maxTextLines: number;
  maxHeaderLines: number;
}

export interface ColumnGroup {
  /** Column indexes, the key column first. */
  columns: number[];
  /** Widths of those columns, filling the table's width. */
  widths: number[];
}

export interface TableLayout {
  groups: ColumnGroup[];
  /** The narrowest the whole table could be on one page (every column at its minimum). */
  minimumWidth: number;
}

interface ColumnNeed {
  min: number;
  natural: number;
}

/** Index of the key column repeated in every group: the first one (the view's x field) when it is text. */
export function keyColumnIndex(columns: readonly LayoutColumn[]): number | undefined {
  return columns.length > 1 && !columns[0].numeric ? 0 : undefined;
}

export function layoutTable(columns: readonly LayoutColumn[], rows: readonly string[][], options: TableLayoutOptions): TableLayout {
  const needs = columns.map((column, index) => columnNeed(column, rows.map((cells) => cells[index]), options));
  const minimumWidth = needs.reduce((sum, need) => sum + need.min, 0);
  const key = keyColumnIndex(columns);
  const keyWidth = key === undefined ? 0 : needs[key].min;
  const own = columns.map((_, index) => index).filter((index) => index !== key);
  const groups = splitGreedy(own, needs, keyWidth, options.width);
  const balanced = groups.length > 1 ? balanceGroups(groups.flat(), needs, keyWidth, options.width, groups.length) : groups;
  const withKey = balanced.map((indexes) => (key === undefined ? indexes : [key, ...indexes]));
  return { groups: withKey.map((indexes) => ({ columns: indexes, widths: fillWidth(indexes.map((index) => needs[index]), options.width) })), minimumWidth };
}

/**
 * The same number of groups as the greedy split, but even: each takes about its share of the
 * columns' width, so the last group is not two lonely columns. Falls back to the greedy split
 * when the even one would need another group.
 */
function balanceGroups(columns: number[], needs: ColumnNeed[], keyWidth: number, width: number, count: number): number[][] {
  const target = columns.reduce((sum, index) => sum + needs[index].min, 0) / count;
  const groups: number[][] = [];
  let current: number[] = [];
  let used = 0;
  for (const index of columns) {
    const mustStart = current.length > 0 && keyWidth + used + needs[index].min > width;
    const mayStart = current.length > 0 && used >= target && groups.length < count - 1;
    if (mustStart || mayStart) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(index);
    used += needs[index].min;
  }
  groups.push(current);
  return groups.length === count ? groups : splitGreedy(columns, needs, keyWidth, width);
}

function splitGreedy(columns: number[], needs: ColumnNeed[], keyWidth: number, width: number): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let used = keyWidth;
  for (const index of columns) {
    if (current.length > 0 && used + needs[index].min > width) {
      groups.push(current);
      current = [];
      used = keyWidth;
    }
    current.push(index);
    used += needs[index].min;
  }
  groups.push(current);
  return groups;
}

function columnNeed(column: LayoutColumn, cells: readonly string[], options: TableLayoutOptions): ColumnNeed {
  const words = column.label.split(/\s+/).filter(Boolean);
  const longestWord = Math.max(0, ...words.map((word) => options.measure(word, true)));
  const header = headerWidth(column.label, longestWord, options) + options.padding;
  let widest = 0;
  for (const cell of cells) widest = Math.max(widest, options.measure(cell, false));
  if (column.numeric) {
    const width = Math.max(widest + options.padding, header);
    return { min: width, natural: width };
  }
  const natural = Math.min(Math.max(widest + options.padding, header), Math.max(options.maxTextWidth, header));
  return { min: Math.min(natural, Math.max(options.minTextWidth, header)), natural };
}

/** The narrowest width at which a header wraps onto at most `maxHeaderLines` lines without being cut. */
function headerWidth(label: string, longestWord: number, options: TableLayoutOptions): number {
  const full = options.measure(label, true);
  let width = Math.max(longestWord, full / options.maxHeaderLines);
  const step = Math.max(1, full / 40);
  while (width < full && wrapCellText(label, width, Number.POSITIVE_INFINITY, options.measure, true).length > options.maxHeaderLines) width += step;
  return Math.min(width, full);
}

/**
 * Widths for one group: every column at its minimum, then text columns grow toward their natural
 * width, then whatever is left is spread over every column in proportion, so the table spans the
 * frame. A group wider than the frame (one column alone too wide) keeps its minimums.
 */
function fillWidth(needs: ColumnNeed[], width: number): number[] {
  const widths = needs.map((need) => need.min);
  let spare = width - widths.reduce((sum, value) => sum + value, 0);
  if (spare <= 0) return widths;
  const growth = needs.map((need) => need.natural - need.min);
  const totalGrowth = growth.reduce((sum, value) => sum + value, 0);
  if (totalGrowth > 0) {
    const share = Math.min(1, spare / totalGrowth);
    growth.forEach((value, index) => (widths[index] += value * share));
    spare -= totalGrowth * share;
  }
  if (spare > 0) {
    const total = widths.reduce((sum, value) => sum + value, 0);
    widths.forEach((value, index) => (widths[index] += (value / total) * spare));
  }
  return widths;
}

/**
 * Text broken into at most `maxLines` lines of `width`: between words (and after _ - /), and between any two
 * characters of a word (or a CJK run) longer than a line. What still does not fit ends the last
 * line with an ellipsis. Only ever used for text: numbers are laid out to fit on one line.
 */
export function wrapCellText(text: string, width: number, maxLines: number, measure: MeasureText, bold = false): string[] {
  if (text === '' || measure(text, bold) <= width) return [text];
  // Words break after "_", "-" and "/" too: AMC campaign names are often snake_case without spaces.
  const tokens = text.match(/\s+|[^\s_/-]*[_/-]+|[^\s_/-]+/g) ?? [];
  const lines: string[] = [];
  let line = '';
  const push = () => {
    lines.push(line.trimEnd());
    line = '';
  };
  for (const token of tokens) {
    if (/^\s+$/.test(token)) {
      if (line !== '') line += ' ';
      continue;
    }
    if (measure(line + token, bold) <= width) {
      line += token;
      continue;
    }
    if (line.trim() !== '' && measure(token, bold) <= width) {
      push();
      line = token;
      continue;
    }
    // A word wider than a line (or a run of wide characters): broken between characters.
    for (const character of Array.from(token)) {
      if (line !== '' && measure(line + character, bold) > width) push();
      line = line === '' && character === ' ' ? '' : line + character;
    }
  }
  if (line.trim() !== '') push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  kept[maxLines - 1] = shortenText(`${kept[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`, width, measure, bold);
  return kept;
}

/** The text cut with an ellipsis to fit `width`. */
export function shortenText(text: string, width: number, measure: MeasureText, bold = false): string {
  if (measure(text, bold) <= width) return text;
  const characters = Array.from(text);
  let low = 0;
  let high = characters.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(`${characters.slice(0, middle).join('').trimEnd()}…`, bold) <= width) low = middle;
    else high = middle - 1;
  }
  return `${characters.slice(0, low).join('').trimEnd()}…`;
}

/** "Part 1 of 2: Impressions to CPC": the heading of one group of a split table (none when it is not split). */
export function columnGroupLabel(groupIndex: number, groups: readonly ColumnGroup[], labels: readonly string[], key: number | undefined): string | undefined {
  if (groups.length < 2) return undefined;
  const own = groups[groupIndex].columns.filter((column) => column !== key);
  const first = labels[own[0]];
  const last = labels[own[own.length - 1]];
  return `Part ${groupIndex + 1} of ${groups.length}: ${own.length === 1 ? first : `${first} to ${last}`}`;
}
