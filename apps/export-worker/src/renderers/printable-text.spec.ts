import { MISSING_GLYPH, comparableText, printableDocument, printableText } from './printable-text';
import { buildExportDocument } from '../../test/fixtures/export-document.fixture';

describe('printableText', () => {
  it.each([
    ['tabs and line breaks', 'Sales\tQ4\r\nreport\u2028x', 'Sales Q4 report x'],
    ['control characters', 'a\u0007b\u001bc\u007f', 'a b c'],
    ['bidi controls', 'Sales \u202etroper\u202c \u2066x\u2069\u200f', 'Sales troper x'],
    ['zero-width characters and a BOM', 'Sa\u200bles\u200c \u200d\ufeffreport\u2060', 'Sales report'],
    ['a combining accent the font has (composed by NFC)', 'Cafe\u0301', 'Café'],
    ['combining marks the font lacks (dropped, letters kept)', 'Z\u0351a\u0353l\u0354g\u0355o', 'Zalgo'],
    ['emoji, joined emoji and flags (one box per grapheme)', 'Sale 😀🚀 👩‍👩‍👧 🇯🇵!', `Sale ${MISSING_GLYPH}${MISSING_GLYPH} ${MISSING_GLYPH} ${MISSING_GLYPH}!`],
    ['an emoji with a variation selector', '❤️ sale', `${MISSING_GLYPH} sale`],
    ['Hangul, which Noto Sans JP lacks', '한국어 판매', `${MISSING_GLYPH.repeat(3)} ${MISSING_GLYPH.repeat(2)}`],
    ['Arabic', 'تقرير', MISSING_GLYPH.repeat(5)],
    ['CJK and kana the font has, a surrogate pair included', '売上レポート 𠮷野家', '売上レポート 𠮷野家'],
    ['full-width letters and a ligature the font has', 'ＡＢＣ ﬁ', 'ＡＢＣ ﬁ'],
    ['no-break and ideographic spaces', 'a\u00a0b\u3000c', 'a b c'],
    ['a lone surrogate', 'a\ud800b', `a${MISSING_GLYPH}b`],
  ])('draws %s', (_label, input, expected) => {
    expect(printableText(input)).toBe(expected);
    expect(printableText(expected)).toBe(expected);
  });

  it('leaves ordinary names alone', () => {
    for (const name of ['Weekly SP funnel (US)', 'Holiday_Sponsored_Products', 'Say "hello", world', 'Café — naïve', 'ホリデー_スポンサー広告', '→ · – … × R²']) {
      expect(printableText(name)).toBe(name);
    }
  });
});

describe('comparableText', () => {
  it('folds what PDF text extraction gives back differently: ligatures, full-width forms, spacing', () => {
    expect(comparableText('ＡＢＣ ﬁne\nreport')).toBe(comparableText('ABC fine report'));
    expect(comparableText('Sales Q4')).not.toBe(comparableText('Sales Q5'));
  });
});

describe('printableDocument', () => {
  it('makes every user text printable and leaves the source document untouched', () => {
    const doc = buildExportDocument();
    doc.report.name = 'Name\twith 😀';
    doc.views[1].name = 'View\u202e';
    doc.views[1].data.rows[0] = { ...doc.views[1].data.rows[0], campaign: 'A\u200bB' };
    const printable = printableDocument(doc);
    expect(printable.report.name).toBe(`Name with ${MISSING_GLYPH}`);
    expect(printable.views[1].name).toBe('View');
    expect(doc.report.name).toBe('Name\twith 😀');
    const json = JSON.stringify(printable);
    // Every row cell too (the fixture's campaigns hold tabs, CRs and line feeds).
    expect(json).not.toMatch(/[\u200b\u202e]|\\[tnr]/u);
    expect(printable.views[1].data.rows[0].campaign).toBe('AB');
  });
});
