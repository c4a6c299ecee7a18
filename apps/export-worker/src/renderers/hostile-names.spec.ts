import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { buildExportDocument } from '../../test/fixtures/export-document.fixture';
import type { ExportDocument } from './export-document';
import { PDF_FONT_REGULAR, loadReportFonts } from './fonts';
import { renderPdf } from './pdf-renderer';
import { extractPdfText } from './pdf-text';
import { renderPng } from './png-renderer';
import { MISSING_GLYPH } from './printable-text';
import { outlineSvgText } from './svg-text-outline';
import { expectExport, verifyExport } from './verify-export';

/** Names the API accepts (it refuses only NUL and lone surrogates), one kind each. */
const HOSTILE_NAMES: Record<string, string> = {
  emoji: 'Sales 😀🚀 👩‍👩‍👧 🇯🇵 ❤️ report',
  tabs: 'Sales\tQ4\treport',
  'line breaks': 'Sales\nQ4\r\nreport',
  'bidi controls': 'Sales \u202etroper\u202c \u2066x\u2069 \u200f',
  'zero-width characters': 'Sa\u200bles\u200c \u200d\ufeffreport\u2060',
  'combining marks': 'Cafe\u0301 Z\u0351\u0352a\u0353l\u0354g\u0355o',
  CJK: '売上レポート 販売 𠮷野家 한국어',
  'other scripts': 'تقرير المبيعات รายงาน 𝐁𝐨𝐥𝐝',
  'full-width forms and ligatures': 'ＡＢＣ１２３ ﬁnal',
  'control characters': 'a\u0007b\u001bc\u007f',
  'a very long name': `Quarterly ${'very '.repeat(300)}long report`,
};

/** The fixture with a hostile name as report name, as every view's name and inside every insight. */
function documentNamed(name: string): ExportDocument {
  const doc = buildExportDocument();
  doc.report.name = name;
  doc.report.workflowName = name;
  doc.views.forEach((view, index) => (view.name = `${name} ${index}`));
  doc.insights.forEach((insight) => (insight.text = `“${name}” ${insight.text}`));
  return doc;
}

/**
 * Every kind at once (one render each keeps the suite fast): the report name holds them all, each
 * view's name holds one kind, and there is one insight per kind.
 */
function documentWithEveryKind(): ExportDocument {
  const kinds = Object.entries(HOSTILE_NAMES).filter(([kind]) => kind !== 'a very long name');
  const doc = buildExportDocument();
  doc.report.name = kinds.map(([, name]) => name).join(' | ');
  doc.report.workflowName = doc.report.name;
  doc.views.forEach((view, index) => (view.name = `${kinds[index % kinds.length][1]} (${view.name})`));
  doc.insights = kinds.map(([kind, name], index) => ({ insightType: 'comparison', confidenceScore: 0.5, text: `“${name}” rose 12.5% (${kind}, ${index}).` }));
  return doc;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostile-names-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each([
  ['every kind of hostile name', documentWithEveryKind],
  ['a very long name', () => documentNamed(HOSTILE_NAMES['a very long name'])],
])('a report with %s in its name, view names and insights', (kind, build) => {
  const doc = build();

  it('exports a PDF that passes verification, with no .notdef box drawn', async () => {
    const path = join(dir, `${kind}.pdf`);
    const summary = await renderPdf(doc, createWriteStream(path));
    expect(await verifyExport(path, summary, expectExport(doc, 'pdf'))).toMatchObject({ ok: true });
    expect((await extractPdfText(await readFile(path))).pages.join('')).not.toContain('\u0000');
  });

  it('exports a PNG of the dashboard and of one view that pass verification', async () => {
    for (const viewKey of [undefined, 'performance.daily']) {
      const { buffer, summary } = await renderPng(doc, { width: 1200, viewKey });
      expect(summary.missingGlyphs).toBe(0);
      expect(await verifyExport(buffer, summary, expectExport(doc, 'png', viewKey))).toMatchObject({ ok: true });
    }
  });
});

describe('the text check still fails for real', () => {
  it('when a view title or an insight is genuinely missing, however it is spelt', async () => {
    const doc = documentNamed(HOSTILE_NAMES.emoji);
    const path = join(dir, 'missing.pdf');
    const summary = await renderPdf(doc, createWriteStream(path));
    const expected = expectExport(doc, 'pdf');
    for (const absent of ['Sales 😀 never drawn', 'Ｎｅｖｅｒ\tdrawn', `${doc.insights[0].text} and more`]) {
      expect(await verifyExport(path, summary, { ...expected, texts: [...expected.texts, absent] })).toEqual({ ok: false, reason: expect.stringMatching(/^the PDF text lacks "/) });
    }
  });

  it('when a PDF draws a character its font has no glyph for', async () => {
    const path = join(dir, 'notdef.pdf');
    const pdf = new PDFDocument({ size: 'A4' });
    pdf.registerFont(PDF_FONT_REGULAR, loadReportFonts().regular);
    const done = new Promise<void>((resolve) => pdf.pipe(createWriteStream(path)).on('finish', () => resolve()));
    pdf.font(PDF_FONT_REGULAR).text('Drawn without printableText: 😀 and a\ttab');
    pdf.end();
    await done;
    const summary = { format: 'pdf' as const, chartCount: 0, rowCount: 0, pageCount: 1, charts: [] };
    expect(await verifyExport(path, summary, { format: 'pdf', rowCount: 0, charts: [], texts: [], numbers: [] })).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the PDF draws [1-9]\d* characters its font has no glyph for$/),
    });
  });

  it('when a PNG draws a character its font has no glyph for', async () => {
    const stats = { missingGlyphs: 0 };
    outlineSvgText('<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="10">a😀b\t</text></svg>', stats);
    expect(stats.missingGlyphs).toBeGreaterThan(0);
    const doc = buildExportDocument();
    const { buffer, summary } = await renderPng(doc, { width: 800, viewKey: 'funnel.stages' });
    expect(await verifyExport(buffer, { ...summary, missingGlyphs: 2 }, expectExport(doc, 'png', 'funnel.stages'))).toEqual({
      ok: false,
      reason: 'the PNG draws 2 characters its font has no glyph for',
    });
  });

  it('draws what the font lacks as one visible box per character, never as nothing', async () => {
    const doc = documentNamed('Sale 😀 한');
    const path = join(dir, 'boxes.pdf');
    await renderPdf(doc, createWriteStream(path));
    expect((await extractPdfText(await readFile(path))).pages[0]).toContain(`Sale ${MISSING_GLYPH} ${MISSING_GLYPH}`);
  });
});
