import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { INJECTION_CASES, JAPANESE_CAMPAIGN, buildExportDocument } from '../../test/fixtures/export-document.fixture';
import { RAW_COLUMNS, rawResultCsv } from '../../test/fixtures/raw-result.fixture';
import { renderDashboardExcel, renderRawExcel, uniqueSheetName } from './excel-renderer';
import { expectExport, expectRawExport, verifyExport } from './verify-export';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'excel-renderer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

describe('renderDashboardExcel', () => {
  const doc = buildExportDocument();
  let path: string;
  let workbook: ExcelJS.Workbook;
  let summary: Awaited<ReturnType<typeof renderDashboardExcel>>;
  beforeAll(async () => {
    path = join(dir, 'dashboard.xlsx');
    summary = await renderDashboardExcel(doc, createWriteStream(path), {});
    workbook = await readWorkbook(path);
  });

  it('writes a report sheet, one sheet per data view and an insights sheet', () => {
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual([
      'Report',
      'Headline metrics',
      'Overall conversion',
      'Conversion funnel',
      'Daily impressions and clicks',
      'Sales by campaign',
      'Campaign performance',
      'Insights',
    ]);
    expect(summary).toMatchObject({ format: 'excel', sheetCount: 8, rowCount: 1 + 1 + 4 + 14 + 5 + 66 });
    const report = workbook.getWorksheet('Report')!;
    expect(report.getCell('B1').value).toBe(doc.report.name);
    expect(report.getCell('B4').value).toBe('2025-10-27 – 2025-11-09');
  });

  it('styles, freezes and filters each header row', () => {
    const sheet = workbook.getWorksheet('Campaign performance')!;
    const header = sheet.getRow(1);
    expect(header.values).toEqual([undefined, 'Campaign', 'Impressions', 'Clicks', 'Spend', 'CTR', 'ROAS']);
    expect(header.getCell(1).font).toMatchObject({ bold: true });
    expect(header.getCell(1).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:F1');
  });

  it('formats numbers per series and keeps negative numbers as numbers', () => {
    const sheet = workbook.getWorksheet('Campaign performance')!;
    const row = sheet.getRow(2);
    expect(row.getCell(2)).toMatchObject({ value: 10_000, numFmt: '#,##0' });
    expect(row.getCell(4)).toMatchObject({ value: 87, numFmt: '$#,##0.00' });
    expect(row.getCell(5)).toMatchObject({ value: 0.01, numFmt: '0.00%' });
    expect(row.getCell(6)).toMatchObject({ value: 2, numFmt: '0.00' });
    const refunds = sheet.getColumn(4).values.filter((value) => value === -5);
    expect(refunds.length).toBeGreaterThan(0);
    // A withheld value (null) is an empty cell, never 0.
    expect(sheet.getRow(5).getCell(6).value).toBeNull();
  });

  it('writes formula-looking text as neutralised plain text, never as a formula', () => {
    const sheet = workbook.getWorksheet('Campaign performance')!;
    const cells = (sheet.getColumn(1).values as unknown[]).slice(2);
    // XML turns a raw CR into LF, so the workbook spells line breaks as LF from the start.
    const asInXml = (text: string) => text.replace(/\r\n?/g, '\n');
    for (const [text, neutralised] of INJECTION_CASES) {
      expect(cells).toContain(asInXml(neutralised));
      expect(cells).not.toContain(asInXml(text));
    }
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    for (const [, neutralised] of INJECTION_CASES) {
      const cell = sheet.getColumn(1).values.indexOf(asInXml(neutralised));
      expect(sheet.getRow(cell).getCell(1).type).toBe(ExcelJS.ValueType.String);
    }
    expect(cells).toContain(JAPANESE_CAMPAIGN);
    expect(cells).toContain('Café — naïve 😀');
    expect(cells).toContain('multi\nline\nname');
  });

  it('lists the insights with their confidence as a percentage', () => {
    const sheet = workbook.getWorksheet('Insights')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Type', 'Insight', 'Confidence']);
    expect(sheet.getRow(2).getCell(1).value).toBe('trend');
    expect(sheet.getRow(3).getCell(2).value).toBe(doc.insights[1].text);
    expect(sheet.getRow(2).getCell(3)).toMatchObject({ value: 0.87, numFmt: '0%' });
    expect(sheet.rowCount).toBe(1 + doc.insights.length);
  });

  it('passes verification', async () => {
    expect(await verifyExport(path, summary, expectExport(doc, 'excel'))).toMatchObject({ ok: true, details: { sheets: 8, rows: summary.rowCount } });
  });

  it('exports one view with the report sheet only', async () => {
    const single = join(dir, 'single.xlsx');
    const result = await renderDashboardExcel(doc, createWriteStream(single), { viewKey: 'funnel.stages' });
    const book = await readWorkbook(single);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Report', 'Conversion funnel']);
    expect(book.getWorksheet('Conversion funnel')!.getRow(2).values).toEqual([undefined, 'Impressions', 2_011_400, 1]);
    expect(await verifyExport(single, result, expectExport(doc, 'excel', 'funnel.stages'))).toMatchObject({ ok: true });
  });
});

describe('renderRawExcel', () => {
  it('streams the whole result, opening a new sheet (with the header again) past maxRowsPerSheet', async () => {
    const path = join(dir, 'raw.xlsx');
    const progress: number[] = [];
    const summary = await renderRawExcel(rawResultCsv(2_345), createWriteStream(path), { maxRowsPerSheet: 1_000, onProgress: (rows) => progress.push(rows), progressEvery: 1_000 });

    expect(summary).toMatchObject({ rowCount: 2_345, sheetCount: 3 });
    expect(summary.sheets!.map((sheet) => sheet.rowCount)).toEqual([1_000, 1_000, 345]);
    expect(progress).toEqual([1_000, 2_000, 2_345]);
    const workbook = await readWorkbook(path);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Result 1', 'Result 2', 'Result 3']);
    for (const sheet of workbook.worksheets) {
      expect(sheet.getRow(1).values).toEqual([undefined, ...RAW_COLUMNS]);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    }
    expect(workbook.worksheets.map((sheet) => sheet.rowCount)).toEqual([1_001, 1_001, 346]);

    const first = workbook.getWorksheet('Result 1')!;
    const cell = (row: number, column: string) => first.getRow(row).getCell(RAW_COLUMNS.indexOf(column) + 1).value;
    expect(cell(2, 'campaign')).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(cell(2, 'impressions')).toBe(1_000);
    expect(cell(3, 'campaign')).toBe("'+1+1");
    expect(cell(3, 'spend')).toBe(-12.5);
    expect(cell(4, 'ad_group')).toBe("'@SUM(A1)");
    expect(cell(5, 'spend')).toBe(-0.75);
    // Leading zeros mean an id: it stays text.
    expect(cell(5, 'note')).toBe('00123');
    // Triggers after blanks and line breaks come back as text cells, never formulas.
    const typeOf = (row: number, column: string) => first.getRow(row).getCell(RAW_COLUMNS.indexOf(column) + 1).type;
    expect(cell(6, 'campaign')).toBe("'  =1+1");
    expect(cell(6, 'ad_group')).toBe(`'\n=HYPERLINK("http://evil.example","x")`);
    expect(cell(6, 'note')).toBe("'\u00a0@SUM(A1)");
    expect(cell(6, 'spend')).toBe(' -5');
    for (const column of ['campaign', 'ad_group', 'note', 'spend']) expect(typeOf(6, column)).toBe(ExcelJS.ValueType.String);
    first.eachRow((row) => row.eachCell((each) => expect(each.type).not.toBe(ExcelJS.ValueType.Formula)));
    // Row 1,001 of the result is the first data row of the second sheet.
    expect(workbook.getWorksheet('Result 2')!.getRow(2).getCell(2).value).toBe('Campaign 0');
    expect(await verifyExport(path, summary, expectRawExport('excel', 2_345))).toMatchObject({ ok: true, details: { sheets: 3, rows: 2_345 } });
  });

  it('fails on a malformed source and destroys the half-written file stream', async () => {
    const out = createWriteStream(join(dir, 'bad.xlsx'));
    await expect(renderRawExcel(Readable.from(['a,b\r\n1,2\r\n3\r\n']), out, {})).rejects.toThrow(/columns|record/i);
    expect(out.destroyed).toBe(true);
  });

  it('refuses a sheet size Excel cannot hold', async () => {
    await expect(renderRawExcel(rawResultCsv(1), createWriteStream(join(dir, 'x.xlsx')), { maxRowsPerSheet: 1_048_576 })).rejects.toThrow(/maxRowsPerSheet/);
  });
});

describe('uniqueSheetName', () => {
  it('keeps names within Excel rules and unique regardless of case', () => {
    const used = new Set<string>();
    expect(uniqueSheetName('Sales / spend [by campaign]: all?', used)).toBe('Sales spend by campaign all');
    expect(uniqueSheetName('A'.repeat(40), used)).toBe('A'.repeat(31));
    expect(uniqueSheetName('a'.repeat(40), used)).toBe(`${'a'.repeat(29)} 2`);
    expect(uniqueSheetName('', used)).toBe('Sheet');
  });
});
