/**
 * CSV / formula injection (OWASP "CSV Injection"): a spreadsheet treats a text cell that starts
 * with `=`, `+`, `-`, `@`, tab or carriage return as a formula, and Excel, LibreOffice and Google
 * Sheets skip leading blanks and line breaks before looking (`"  =1+1"`, `"\n=HYPERLINK(…)"`).
 * Campaign names and raw AMC values are user-controlled text, so such cells get a leading single
 * quote, which spreadsheets show as text and never evaluate. Numbers are never touched: a numeric
 * -5 stays the number -5.
 */
const FORMULA_TRIGGERS = new Set([
  0x3d /* = */, 0x2b /* + */, 0x2d /* - */, 0x40 /* @ */,
  // Full-width forms, which Apple Numbers normalises to the ASCII ones before evaluating.
  0xff1d, 0xff0b, 0xff0d, 0xff20,
]);

/** A cell starting with one of these is neutralised whatever follows (OWASP's list). */
const LEADING_TRIGGERS = new Set([0x09 /* tab */, 0x0d /* CR */]);

/**
 * What a spreadsheet may skip before the first visible character: every Unicode space and line
 * break (`\s` covers no-break, full-width and the other U+2000 spaces), control characters, and
 * invisible format characters (zero-width space and joiners, word joiner, BOM, bidi controls).
 */
const INVISIBLE_PREFIX = /^[\s\p{Cc}\p{Cf}]+/u;

/** A plain decimal number as text ("-12.5", "+3", "1e-7"); nothing a spreadsheet could run. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when a spreadsheet could read the text as a formula, leading blanks and line breaks aside. */
export function startsLikeFormula(text: string): boolean {
  if (text.length === 0) return false;
  if (LEADING_TRIGGERS.has(text.charCodeAt(0))) return true;
  const visible = text.replace(INVISIBLE_PREFIX, '');
  return visible.length > 0 && FORMULA_TRIGGERS.has(visible.charCodeAt(0));
}

export function isPlainNumberText(text: string): boolean {
  return PLAIN_NUMBER.test(text);
}

/**
 * Neutralises a text cell. Deliberately left as it is: a text that is a plain decimal number once
 * blanks around it are set aside (`"-12.5"` in a raw result, `" -5"`, `"\t+3"`). A spreadsheet
 * reads it as that number or as text; it can compute nothing and call nothing, and quoting it would
 * turn a refund in an AMC result into text nobody can sum.
 */
export function neutraliseText(text: string): string {
  if (!startsLikeFormula(text) || isPlainNumberText(text.trim())) return text;
  return `'${text}`;
}

/** Neutralises a typed cell value: only text can carry a formula; numbers, booleans and nulls pass through. */
export function neutraliseCell<T>(value: T): T | string {
  return typeof value === 'string' ? neutraliseText(value) : value;
}

/**
 * The number a raw CSV text cell holds, when writing it as a number loses nothing: plain decimal
 * text without leading zeros (ids such as "00123" stay text) and at most 15 significant digits
 * (longer ids would be rounded by IEEE doubles and by Excel).
 */
export function parsePlainNumber(text: string): number | undefined {
  if (text.length === 0 || text.length > 24 || !PLAIN_NUMBER.test(text)) return undefined;
  const unsigned = text.charCodeAt(0) === 0x2d || text.charCodeAt(0) === 0x2b ? text.slice(1) : text;
  if (unsigned.length > 1 && unsigned[0] === '0' && unsigned[1] !== '.') return undefined;
  const mantissa = unsigned.split(/[eE]/)[0].replace('.', '').replace(/^0+/, '');
  if (mantissa.length > 15) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}
