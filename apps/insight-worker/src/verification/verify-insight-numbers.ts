import type { Finding, NumberUnit } from '../findings/finding';
import { dataText, quoteSubject } from '../wording/quote-subject';
import { dimensionWords } from '../wording/wording-parts';
import { extractNumbers, type ExtractedUnit } from './extract-numbers';

export interface NumberVerification {
  /** Every number in the text matches a number of the finding. */
  verified: boolean;
  /** The numbers (as written) that match nothing in the finding. */
  unmatched: string[];
  /** Share of the text's numbers that matched; NO_NUMBERS_SCORE for a text citing none. */
  score: number;
}

/**
 * A text that cites no number cannot contradict its finding, but nothing in it was checked
 * either: it keeps half the confidence its finding's strength would give.
 */
export const NO_NUMBERS_SCORE = 0.5;

/** Which finding units a number written with a given unit may stand for. */
const COMPATIBLE: Record<ExtractedUnit, ReadonlySet<NumberUnit | 'statistic'>> = {
  // Writers say "fell 2.3%" for 2.3 percentage points and the reverse; both read as a percent figure.
  percent: new Set(['percent', 'points']),
  points: new Set(['percent', 'points']),
  currency: new Set(['currency', 'count']),
  ratio: new Set(['ratio']),
  plain: new Set(['count', 'currency', 'percent', 'points', 'ratio', 'statistic']),
};

interface Citable {
  value: number;
  unit: NumberUnit | 'statistic';
}

function citableNumbers(finding: Finding): Citable[] {
  return [
    ...Object.entries(finding.numbers).map(([key, value]) => ({ value, unit: finding.units[key] ?? 'count' })),
    ...Object.values(finding.statistics).map((value) => ({ value, unit: 'statistic' as const })),
  ];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes the names the finding itself carries, so digits inside them are not read as figures:
 * a campaign "Summer 2024 Sale" or a bucket "6-10" in quotes, a metric "top_5_share".
 * Unquoted, a subject is only removed when it is long and has letters (removing a bare "1"
 * everywhere would blank out real numbers).
 */
function withoutOwnNames(text: string, finding: Finding): string {
  let stripped = text;
  const remove = (name: string) => {
    if (name === '') return;
    stripped = stripped.replace(new RegExp(escapeRegExp(name), 'g'), ' ');
  };
  // Window labels ("Nov 9–15", "Dec 29, 2026 – Jan 4, 2027") are names the finding gives, copied
  // exactly (hyphens for dashes accepted); any other date in a text is read as figures and fails.
  const windows = Object.values(finding.windows ?? {}).filter((window): window is string => typeof window === 'string' && /\d/.test(window));
  for (const window of windows.sort((a, b) => b.length - a.length)) {
    for (const form of new Set([window, window.replace(/–/g, '-'), window.replace(/ – /g, ' - ').replace(/–/g, '-'), window.replace(/ – /g, '–')])) remove(form);
  }
  for (const subject of [finding.subject, finding.counterpart]) {
    if (!subject) continue;
    // The subject as the templates and the LLM answer check show it, then as a writer may have copied it.
    remove(quoteSubject(subject));
    for (const [open, close] of [['“', '”'], ['"', '"'], ["'", "'"], ['«', '»'], ['‘', '’']]) remove(`${open}${subject}${close}`);
    if (subject.length >= 4 && /\p{L}/u.test(subject)) remove(subject);
  }
  for (const name of [finding.metricLabel, finding.metric, finding.dimension, ...Object.values(finding.labels ?? {}), ...(finding.consequences ?? []).map((consequence) => consequence.label)]) {
    if (name && /\p{L}/u.test(name)) {
      remove(name);
      // Mid-sentence, templates write a label with a lower-case first letter ("purchases (14d)").
      remove(name.charAt(0).toLowerCase() + name.slice(1));
      remove(dimensionWords(name));
      remove(dataText(dimensionWords(name)));
    }
  }
  return stripped;
}

export function verifyInsightNumbers(text: string, finding: Finding): NumberVerification {
  const extracted = extractNumbers(withoutOwnNames(text, finding));
  if (extracted.length === 0) return { verified: true, unmatched: [], score: NO_NUMBERS_SCORE };
  const citable = citableNumbers(finding);
  const unmatched: string[] = [];
  for (const number of extracted) {
    const allowed = COMPATIBLE[number.unit];
    // Relative slack of 1e-9 absorbs float noise such as 0.1 + 0.2; signs are compared as words, not symbols.
    const matches = citable.some(
      (candidate) =>
        allowed.has(candidate.unit) &&
        Math.abs(Math.abs(candidate.value) - number.value) <= number.tolerance + 1e-9 * Math.max(1, number.value),
    );
    if (!matches) unmatched.push(number.raw);
  }
  return {
    verified: unmatched.length === 0,
    unmatched,
    score: (extracted.length - unmatched.length) / extracted.length,
  };
}
