import PDFDocument from 'pdfkit';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wideTableDocument } from '../../test/fixtures/export-document.fixture';
import { PDF_FONT_REGULAR, loadReportFonts } from './fonts';
import { renderPdf } from './pdf-renderer';
import { renderPng } from './png-renderer';
import { expectExport, verifyExport } from './verify-export';
import { findCutNumberInCells, findCutNumberInText } from './verify-numbers';

/** What the old fixed-width table printed: "1,664,…" once a value outgrew its column. */
const cut = (text: string) => (text.length > 6 ? `${text.slice(0, 5)}…` : text);

describe('the export check against cut table numbers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cut-table-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('rejects a PDF whose table cuts its numbers, though every title and insight is there', async () => {
    const doc = wideTableDocument();
    const expected = expectExport(doc, 'pdf');
    const good = join(dir, 'good.pdf');
    const summary = await renderPdf(doc, createWriteStream(good));
    expect(await verifyExport(good, summary, expected)).toMatchObject({ ok: true });

    // The same words, the table's numbers cut as a too-narrow column would.
    const bad = join(dir, 'cut.pdf');
    const pdf = new PDFDocument({ size: 'A4' });
    pdf.registerFont(PDF_FONT_REGULAR, loadReportFonts().regular);
    const done = new Promise<void>((resolve) => pdf.pipe(createWriteStream(bad)).on('finish', () => resolve()));
    pdf.font(PDF_FONT_REGULAR).fontSize(4);
    pdf.text(expected.texts.join('\n'));
    pdf.text(expected.numbers.map(cut).join(' '));
    pdf.end();
    await done;
    const verdict = await verifyExport(bad, { ...summary, pageCount: 1 }, expected);
    expect(verdict).toEqual({ ok: false, reason: 'the PDF cuts a number in a table: the table value "48,123,457" is not shown in full' });
  });

  it('rejects a PNG whose table drew a number cut', async () => {
    const doc = wideTableDocument();
    const png = await renderPng(doc, { width: 800, viewKey: 'performance.campaigns' });
    const expected = expectExport(doc, 'png', 'performance.campaigns');
    expect(await verifyExport(png.buffer, png.summary, expected)).toMatchObject({ ok: true });
    const numbersDrawn = png.summary.numbersDrawn!.map((text, index) => (index === 4 ? cut(text) : text));
    expect(await verifyExport(png.buffer, { ...png.summary, numbersDrawn }, expected)).toEqual({
      ok: false, reason: 'the PNG cuts a number in a table: a number is cut: "$9,87…"',
    });
  });

  it('finds a value missing from the text or the cells, and accepts one shown in full', () => {
    expect(findCutNumberInText('Spend $1,664,233.47 Clicks 905,117', ['$1,664,233.47', '905,117'])).toBeUndefined();
    expect(findCutNumberInText('Spend $1,664,…', ['$1,664,233.47'])).toBe('the table value "$1,664,233.47" is not shown in full');
    expect(findCutNumberInCells(['1', '1'], ['1', '1', '1'])).toBe('the table value "1" is not shown in full');
  });
});
