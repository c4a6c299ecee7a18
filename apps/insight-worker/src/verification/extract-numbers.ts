/** How a number in a text says it should be read. */
export type ExtractedUnit = 'percent' | 'points' | 'currency' | 'ratio' | 'plain';

export interface ExtractedNumber {
  /** The text as written, e.g. "$1.2K", "-84.05%". */
  raw: string;
  /** Magnitude after scale (K/M/B); signs are words as often as symbols, so they are not compared. */
  value: number;
  negative: boolean;
  unit: ExtractedUnit;
  /** Half a unit of the last digit written, after scale: "1.2K" stands for anything in 1,150..1,250. */
  tolerance: number;
  index: number;
}

// One number: optional sign, optional currency symbol, digits (with or without thousands
// separators), optional decimals, optional unit or scale word. Digits glued to a letter or an
// underscore before them (Q4, B2B, R2, STV_Q4) are part of a name, not a figure.
const NUMBER_PATTERN = new RegExp(
  String.raw`(?<![\p{L}_])` +
    String.raw`(?<sign>[+\-−–](?=\s?[$€£¥]?\s?\d))?\s?` +
    String.raw`(?<currency>[$€£¥])?\s?` +
    String.raw`(?<integer>\d{1,3}(?:,\d{3})+(?!\d)|\d+)` +
    String.raw`(?<fraction>\.\d+)?` +
    String.raw`(?:\s?(?<suffix>%|percentage points?|percent|pp|points?|pts?|thousand|million|billion|bn|[KkMB]|x|×)(?![\p{L}\p{N}_]))?`,
  'gu',
);

const SCALES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  million: 1e6,
  b: 1e9,
  bn: 1e9,
  billion: 1e9,
};

const POINT_WORDS = new Set(['pp', 'pt', 'pts', 'point', 'points', 'percentage point', 'percentage points']);

function unitOf(suffix: string | undefined, currency: string | undefined): ExtractedUnit {
  const lowered = suffix?.toLowerCase() ?? '';
  if (lowered === '%' || lowered === 'percent') return 'percent';
  if (POINT_WORDS.has(lowered)) return 'points';
  if (lowered === 'x' || lowered === '×') return 'ratio';
  return currency ? 'currency' : 'plain';
}

export function extractNumbers(text: string): ExtractedNumber[] {
  const found: ExtractedNumber[] = [];
  for (const match of text.matchAll(NUMBER_PATTERN)) {
    const groups = match.groups ?? {};
    const integer = groups.integer.replace(/,/g, '');
    const fraction = groups.fraction ?? '';
    const suffix = groups.suffix;
    const scale = suffix ? (SCALES[suffix.toLowerCase()] ?? 1) : 1;
    const decimals = Math.max(0, fraction.length - 1);
    found.push({
      raw: match[0].trim(),
      value: Number(`${integer}${fraction}`) * scale,
      negative: groups.sign !== undefined && groups.sign !== '+',
      unit: unitOf(suffix, groups.currency),
      tolerance: 0.5 * 10 ** -decimals * scale,
      index: match.index ?? 0,
    });
  }
  return found;
}
