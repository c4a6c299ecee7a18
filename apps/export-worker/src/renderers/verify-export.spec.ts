import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildExportDocument } from '../../test/fixtures/export-document.fixture';
import { rawResultCsv } from '../../test/fixtures/raw-result.fixture';
import { renderDashboardCsv, renderRawCsv } from './csv-renderer';
import { renderDashboardExcel } from './excel-renderer';
import type { ExportDocument } from './export-document';
import { renderPdf } from './pdf-renderer';
import { renderPng } from './png-renderer';
import { expectExport, expectRawExport, verifyExport } from './verify-export';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'verify-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The fixture with its bar chart pointed at a field its rows do not have: it renders blank. */
function withBlankChart(): ExportDocument {
  const doc = buildExportDocument();
  const bar = doc.views.find((view) => view.key === 'attribution.sales_by_campaign')!;
  bar.chart = { ...bar.chart, series: [{ field: 'revenue', label: 'Revenue', format: 'currency' }] };
  return doc;
}

describe('verifyExport', () => {
  it('rejects a PDF whose chart was drawn blank, naming the chart', async () => {
    const doc = withBlankChart();
    const path = join(dir, 'blank.pdf');
    const summary = await renderPdf(doc, createWriteStream(path));
    expect(await verifyExport(path, summary, expectExport(doc, 'pdf'))).toEqual({
      ok: false,
      reason: 'chart "Sales by campaign" (attribution.sales_by_campaign) is blank: its 5 rows hold no number for any of its series',
    });
  });

  it('rejects a funnel whose values are all missing, although ECharts still draws its stages', async () => {
    const doc = buildExportDocument();
    const funnel = doc.views.find((view) => view.key === 'funnel.stages')!;
    funnel.data.rows = funnel.data.rows.map((row) => ({ ...row, users: null }));
    const { buffer, summary } = await renderPng(doc, { width: 1000 });
    expect(summary.charts[0].dataElements).toBeGreaterThan(0);
    expect(await verifyExport(buffer, summary, expectExport(doc, 'png'))).toMatchObject({ ok: false, reason: expect.stringContaining('"Conversion funnel" (funnel.stages) is blank') });
  });

  it('rejects a PNG whose chart area holds no coloured pixels', async () => {
    const doc = buildExportDocument();
    const { buffer, summary } = await renderPng(doc, { width: 1000, viewKey: 'performance.daily' });
    const chart = summary.charts[0];
    // Point the check at the white strip under the chart, as if the chart had drawn nothing.
    const tampered = { ...summary, charts: [{ ...chart, area: { ...chart.area!, y: summary.height! - 30, height: 20 } }] };
    expect(await verifyExport(buffer, tampered, expectExport(doc, 'png', 'performance.daily'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^chart "Daily impressions and clicks" \(performance\.daily\) is blank in the PNG: 0 coloured pixels in its area, at least \d+ expected$/),
    });
  });

  it.each([800, 1200, 2400])('accepts a line chart with one point per series (a first execution) in a %i px PNG', async (width) => {
    const doc = buildExportDocument();
    const daily = doc.views.find((view) => view.key === 'performance.daily')!;
    daily.data.rows = daily.data.rows.slice(0, 1);
    for (const viewKey of ['performance.daily', undefined]) {
      const { buffer, summary } = await renderPng(doc, { width, viewKey });
      expect(await verifyExport(buffer, summary, expectExport(doc, 'png', viewKey))).toMatchObject({ ok: true });
    }
  });

  it('rejects truncated files of every format with a readable reason', async () => {
    const doc = buildExportDocument();
    const pdfPath = join(dir, 'report.pdf');
    const pdfSummary = await renderPdf(doc, createWriteStream(pdfPath));
    const pdf = await readFile(pdfPath);
    expect(await verifyExport(pdf.subarray(0, pdf.length / 2), pdfSummary, expectExport(doc, 'pdf'))).toEqual({ ok: false, reason: 'the PDF is truncated (no %%EOF trailer)' });

    const png = await renderPng(doc, { width: 800, viewKey: 'funnel.stages' });
    expect(await verifyExport(png.buffer.subarray(0, png.buffer.length - 200), png.summary, expectExport(doc, 'png', 'funnel.stages'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^the png file could not be read back: PNG truncated/),
    });

    const xlsxPath = join(dir, 'dashboard.xlsx');
    const xlsxSummary = await renderDashboardExcel(doc, createWriteStream(xlsxPath), {});
    const xlsx = await readFile(xlsxPath);
    const cut = join(dir, 'cut.xlsx');
    await writeFile(cut, xlsx.subarray(0, Math.floor(xlsx.length * 0.6)));
    expect(await verifyExport(cut, xlsxSummary, expectExport(doc, 'excel'))).toEqual({ ok: false, reason: expect.stringMatching(/^the excel file could not be read back: /) });

    const csvPath = join(dir, 'raw.csv');
    const csvSummary = await renderRawCsv(rawResultCsv(500), createWriteStream(csvPath), { bom: false });
    const csv = await readFile(csvPath, 'utf8');
    const atRow = join(dir, 'cut-at-row.csv');
    await writeFile(atRow, csv.slice(0, csv.lastIndexOf('\r\n', csv.length - 3) + 2));
    expect(await verifyExport(atRow, csvSummary, expectRawExport('csv', 500))).toEqual({ ok: false, reason: 'the CSV holds 499 data rows, the source has 500' });
    const inQuote = join(dir, 'cut-in-quote.csv');
    await writeFile(inQuote, csv.slice(0, csv.indexOf('"Say ""hi"", then') + 8));
    expect(await verifyExport(inQuote, csvSummary, expectRawExport('csv', 500))).toEqual({ ok: false, reason: expect.stringMatching(/^the csv file could not be read back: .*quote/i) });
  });

  it('rejects an empty file', async () => {
    const path = join(dir, 'empty.csv');
    await writeFile(path, '');
    expect(await verifyExport(path, { format: 'csv', chartCount: 0, rowCount: 0, charts: [] }, expectRawExport('csv', 0))).toEqual({ ok: false, reason: 'the file is empty' });
  });

  it('rejects row counts that do not match the source', async () => {
    const doc = buildExportDocument();
    const path = join(dir, 'campaigns.csv');
    const summary = await renderDashboardCsv(doc, createWriteStream(path), { bom: false, viewKey: 'performance.campaigns' });
    expect(await verifyExport(path, summary, { ...expectExport(doc, 'csv', 'performance.campaigns'), rowCount: 67 })).toEqual({
      ok: false,
      reason: 'the renderer wrote 66 rows, the source has 67',
    });
    expect(await verifyExport(path, { ...summary, rowCount: 67 }, { ...expectExport(doc, 'csv', 'performance.campaigns'), rowCount: 67 })).toEqual({
      ok: false,
      reason: 'the CSV holds 66 data rows, the source has 67',
    });

    const xlsx = join(dir, 'rows.xlsx');
    const xlsxSummary = await renderDashboardExcel(doc, createWriteStream(xlsx), {});
    const sheets = xlsxSummary.sheets!.map((sheet) => (sheet.name === 'Campaign performance' ? { ...sheet, rowCount: 70 } : sheet));
    expect(await verifyExport(xlsx, { ...xlsxSummary, sheets }, expectExport(doc, 'excel'))).toEqual({ ok: false, reason: 'sheet "Campaign performance" holds 66 rows, the renderer wrote 70' });
  });

  it('reads the same good workbook back the same way every time (the export worker\'s "2 of 21 Excel exports failed")', async () => {
    // exceljs's streaming WorkbookReader dropped a sheet of this very kind of file (worksheets before
    // xl/workbook.xml, as exceljs's streaming writer stores them; here three views and an empty
    // Insights sheet, like a fresh dashboard's) in about 1 read in 80: 400 reads must all agree.
    // The workbook: cover, contents, the three views, the execution history.
    const full = buildExportDocument();
    const doc: ExportDocument = { ...full, views: full.views.filter((view) => view.viewType !== 'insight').slice(0, 3), insights: [] };
    const path = join(dir, 'same-every-time.xlsx');
    const summary = await renderDashboardExcel(doc, createWriteStream(path), {});
    expect(summary.sheetCount).toBe(6);
    const file = await readFile(path);
    const verdicts = new Map<string, number>();
    for (let read = 0; read < 400; read++) {
      const verdict = await verifyExport(file, summary, expectExport(doc, 'excel'));
      const key = verdict.ok ? 'ok' : verdict.reason;
      verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(verdicts)).toEqual({ ok: 400 });
  });

  it('names a workbook sheet that is not the one the renderer wrote', async () => {
    const doc = buildExportDocument();
    const path = join(dir, 'names.xlsx');
    const summary = await renderDashboardExcel(doc, createWriteStream(path), {});
    const sheets = summary.sheets!.map((sheet, index) => (index === 1 ? { ...sheet, name: 'Something else' } : sheet));
    expect(await verifyExport(path, { ...summary, sheets }, expectExport(doc, 'excel'))).toEqual({
      ok: false, reason: `sheet 2 is named "${summary.sheets![1].name}", the renderer wrote "Something else"`,
    });
  });

  it('rejects a PDF whose page count or text differs from what was drawn', async () => {
    const doc = buildExportDocument();
    const path = join(dir, 'pages.pdf');
    const summary = await renderPdf(doc, createWriteStream(path));
    expect(await verifyExport(path, { ...summary, pageCount: 6 }, expectExport(doc, 'pdf'))).toEqual({ ok: false, reason: 'the PDF has 5 pages, the renderer drew 6' });
    const expected = expectExport(doc, 'pdf');
    expect(await verifyExport(path, summary, { ...expected, texts: [...expected.texts, 'An insight that was never drawn'] })).toEqual({
      ok: false,
      reason: 'the PDF text lacks "An insight that was never drawn"',
    });
  });

  it('rejects a chart that is missing from the render', async () => {
    const doc = buildExportDocument();
    const { buffer, summary } = await renderPng(doc, { width: 1000 });
    expect(await verifyExport(buffer, { ...summary, charts: summary.charts.slice(1) }, expectExport(doc, 'png'))).toEqual({
      ok: false,
      reason: 'chart "Conversion funnel" (funnel.stages) was not drawn',
    });
  });
});
