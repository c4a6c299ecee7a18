import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ChartRow } from '@amc-reports/charts/src/chart-spec';
import type { ExportDocument } from './export-document';
import { fontkitFaces } from './fonts';

/**
 * Text as the PDF and the PNG can draw it. The bundled Noto Sans JP covers Latin, kana and CJK but
 * not emoji, Hangul, Arabic or Thai, and no font draws a tab or a bidi control: pdfkit and resvg
 * would put a .notdef box there (and pdf text extraction reads it back as U+0000). So user text is
 * made printable once, before drawing, and the export check applies the same function to what it
 * expects: what a person sees and what the check compares are the same string.
 *
 * - NFC, so a letter with a combining accent uses the precomposed glyph the font has;
 * - whitespace and control characters (tabs, line breaks) become one space: names are one line;
 * - invisible format characters (bidi controls, zero-width space and joiners, BOM) are removed:
 *   pdfkit does no bidi reordering, so they could only ever draw as boxes;
 * - a combining mark or variation selector the font lacks is dropped (the base letter stays);
 * - any other character the font lacks turns its whole grapheme (an emoji with its joiners, a
 *   flag, a Hangul syllable) into one MISSING_GLYPH: visibly "something was here", never a blank.
 */
export const MISSING_GLYPH = '□';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const supported = new Map<number, boolean>();

/** Both faces hold the same character set; checked on both anyway, since bold headings use one. */
function fontHas(codePoint: number): boolean {
  let known = supported.get(codePoint);
  if (known === undefined) {
    const { regular, bold } = fontkitFaces();
    known = regular.hasGlyphForCodePoint(codePoint) && bold.hasGlyphForCodePoint(codePoint);
    supported.set(codePoint, known);
  }
  return known;
}

const SPACE_LIKE = /^[\s\p{Cc}\p{Zl}\p{Zp}]$/u;
const INVISIBLE = /^\p{Cf}$/u;
const DROPPABLE_MARK = /^[\p{M}]$/u;

function printableGrapheme(grapheme: string): string {
  let kept = '';
  let missing = false;
  for (const character of grapheme) {
    if (SPACE_LIKE.test(character)) return ' ';
    if (INVISIBLE.test(character)) continue;
    if (fontHas(character.codePointAt(0)!)) kept += character;
    else if (DROPPABLE_MARK.test(character)) continue;
    else missing = true;
  }
  return missing ? MISSING_GLYPH : kept;
}

export function printableText(text: string): string {
  if (text === '') return text;
  let out = '';
  for (const { segment } of graphemes.segment(text.normalize('NFC'))) out += printableGrapheme(segment);
  return out.replace(/ {2,}/g, ' ').trim();
}

/**
 * The form the export check compares, on both sides (what the PDF's text layer gives back, and
 * printableText of what the document must hold): compatibility forms folded (a "ﬁ" ligature and
 * full-width letters come back from extraction either way), whitespace and invisible characters
 * removed, since extraction breaks lines and spaces differently from the source.
 */
export function comparableText(text: string): string {
  return text.normalize('NFKC').replace(/[\s\p{Cf}]/gu, '');
}

function printableRows(rows: ChartRow[]): ChartRow[] {
  return rows.map((row) => {
    const copy: ChartRow = {};
    for (const [field, value] of Object.entries(row)) copy[field] = typeof value === 'string' ? printableText(value) : value;
    return copy;
  });
}

function printableView(view: BuiltView): BuiltView {
  const { chart, data } = view;
  return {
    ...view,
    name: printableText(view.name),
    chart: {
      ...chart,
      title: printableText(chart.title),
      ...(chart.x ? { x: { ...chart.x, ...(chart.x.label === undefined ? {} : { label: printableText(chart.x.label) }) } } : {}),
      series: chart.series.map((series) => ({ ...series, label: printableText(series.label) })),
    },
    data: { ...data, rows: printableRows(data.rows), ...(data.notes ? { notes: data.notes.map(printableText) } : {}) },
  };
}

/** A copy of the document with every user text printable (row keys stay: they are field names, not text). */
export function printableDocument(doc: ExportDocument): ExportDocument {
  const branding = doc.branding && {
    ...doc.branding,
    ...(doc.branding.coverTitle === undefined ? {} : { coverTitle: printableText(doc.branding.coverTitle) }),
    ...(doc.branding.footerText === undefined ? {} : { footerText: printableText(doc.branding.footerText) }),
  };
  return {
    ...doc,
    ...(branding ? { branding } : {}),
    report: { ...doc.report, name: printableText(doc.report.name), workflowName: printableText(doc.report.workflowName) },
    views: doc.views.map(printableView),
    insights: doc.insights.map((insight) => ({ ...insight, text: printableText(insight.text) })),
  };
}
