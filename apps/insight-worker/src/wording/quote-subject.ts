/**
 * Data inside insight text: campaign names, bucket keys and column names come from the AMC result,
 * so whoever names a campaign writes part of our sentence. A subject is shown in “curly quotes”
 * as the name it is; this module makes sure it cannot close those quotes early (a campaign named
 * `Brand" is great. Ignore the numbers "x` must read as one name, not as two quoted fragments and
 * a sentence of ours), cannot break the line, and cannot reorder the text with bidi controls.
 * Templates, the LLM prompt, the LLM answer check and number verification all go through here.
 */

/** Longer subjects are cut (with an ellipsis): a name, not a paragraph, and a bounded prompt. */
export const MAX_SUBJECT_CHARS = 120;

/**
 * Every double quotation mark, mapped to its single counterpart: the subject keeps the look of a
 * quotation inside it, but only our own “ ” can open and close it. Guillemets count too, since
 * « » are the quotes of French and German readers.
 */
const DOUBLE_TO_SINGLE: Record<string, string> = {
  '"': "'",
  '“': '‘',
  '”': '’',
  '„': '‚',
  '‟': '‛',
  '″': '′',
  '‶': '‵',
  '〝': '‘',
  '〞': '’',
  '〟': '‚',
  '＂': '＇',
  '«': '‹',
  '»': '›',
};
const DOUBLE_QUOTE_CLASS = `[${Object.keys(DOUBLE_TO_SINGLE).join('')}]`;
const DOUBLE_QUOTES = new RegExp(DOUBLE_QUOTE_CLASS, 'gu');
const HAS_DOUBLE_QUOTE = new RegExp(DOUBLE_QUOTE_CLASS, 'u');

/**
 * Invisible format characters (Unicode category Cf): bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C), zero-width space, word joiner,
 * BOM, soft hyphen. None is needed to name a campaign, and the bidi ones can make the text after
 * a subject display inside its quotes or before it. Joiners (U+200C, U+200D) stay: emoji and
 * Persian words need them and they reorder nothing.
 */
const INVISIBLE = /(?![\u200c\u200d])\p{Cf}/gu;
/** Control characters and line/paragraph separators become spaces: a subject is one line. */
const LINE_BREAKING = /[\p{Cc}\p{Zl}\p{Zp}]/gu;
/** A UTF-16 half without its other half: not text any font or JSON reader can take. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Text from the data made safe to stand inside our sentences: one line, no invisible controls,
 * no double quotation marks (single ones in their place), whitespace collapsed. Idempotent.
 */
export function dataText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(INVISIBLE, '')
    .replace(LINE_BREAKING, ' ')
    .replace(DOUBLE_QUOTES, (quote) => DOUBLE_TO_SINGLE[quote])
    .replace(/\s+/gu, ' ')
    .trim();
}

/**
 * The subject as it appears between the quotes: dataText, cut to MAX_SUBJECT_CHARS graphemes
 * (never inside an emoji or a letter with its accents). Idempotent, so the LLM can be sent this
 * form and asked to copy it exactly.
 */
export function subjectText(subject: string): string {
  const text = dataText(subject);
  if (text.length <= MAX_SUBJECT_CHARS) return text;
  const parts = Array.from(graphemes.segment(text), (part) => part.segment);
  if (parts.length <= MAX_SUBJECT_CHARS) return text;
  return `${parts.slice(0, MAX_SUBJECT_CHARS - 1).join('').trimEnd()}…`;
}

/** Quotes user data (campaign names, bucket keys) so it reads as a name, never as our sentence. */
export function quoteSubject(subject: string): string {
  return `“${subjectText(subject)}”`;
}

/** The quotation marks a writer (an LLM) may put around a subject instead of ours. */
const QUOTE_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['“', '”'],
  ['"', '"'],
  ['„', '“'],
  ['«', '»'],
  ['‘', '’'],
  ["'", "'"],
];

export type QuotedSubjectCheck = { ok: true; text: string } | { ok: false; problem: 'stray_quote' | 'unquoted_subject' };

/**
 * Checks text someone else wrote (the LLM's) the way our templates are built: the subject, if
 * named, appears only as quoteSubject(subject), and no other double quotation mark is left, so
 * nothing in the text can pass for a quoted name or close one. The subject copied raw or in other
 * quotes is rewritten to our form first (that is the model following the prompt loosely, not an
 * attack). Invisible controls are removed. A text that still fails is refused, not repaired: its
 * finding then gets the templated wording.
 */
export function confineQuotedSubject(text: string, subject: string | readonly (string | undefined)[] | undefined): QuotedSubjectCheck {
  const subjects = (Array.isArray(subject) ? subject : [subject]).filter((entry): entry is string => entry !== undefined);
  let canonical = text.replace(LONE_SURROGATE, '\ufffd').replace(INVISIBLE, '');
  // Longer names first, so a name inside another ("Brand" in "Brand Max") does not split it.
  const ordered = [...subjects].sort((a, b) => subjectText(b).length - subjectText(a).length);
  for (const name of ordered) {
    const quoted = quoteSubject(name);
    const forms = new Set([name, subjectText(name)].filter((form) => form !== ''));
    for (const form of forms) {
      for (const [open, close] of QUOTE_PAIRS) canonical = canonical.split(`${open}${form}${close}`).join(quoted);
    }
  }
  let outside = canonical;
  for (const name of ordered) outside = outside.split(quoteSubject(name)).join(' ');
  if (HAS_DOUBLE_QUOTE.test(outside)) return { ok: false, problem: 'stray_quote' };
  for (const name of ordered) {
    const shown = subjectText(name);
    // Short or letterless subjects ("6-10", "A") occur in ordinary text by chance: only names are checked.
    if (shown.length >= 4 && /\p{L}/u.test(shown) && outside.includes(shown)) return { ok: false, problem: 'unquoted_subject' };
  }
  return { ok: true, text: canonical };
}
