import ExcelJS from 'exceljs';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { INJECTION_CASES, JAPANESE_CAMPAIGN, buildExportDocument, wideTableDocument } from '../../test/fixtures/export-document.fixture';
import type { ExportDocument } from './export-document';
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
  const base = wideTableDocument();
  const doc: ExportDocument = {
    ...base,
    report: { ...base.report, executionId: 'e-3', name: 'Q4 Sponsored Ads Performance — US marketplace, all campaigns' },
    history: [
      { executionId: 'e-1', status: 'SUCCEEDED', timeWindowStart: '2025-10-13T00:00:00.000Z', timeWindowEnd: '2025-10-26T23:59:59.000Z', completedAt: '2025-10-27T06:00:00.000Z', rowCount: 640 },
      { executionId: 'e-2', status: 'FAILED', timeWindowStart: '2025-10-20T00:00:00.000Z', timeWindowEnd: '2025-11-02T23:59:59.000Z', completedAt: null, rowCount: null },
      { executionId: 'e-3', status: 'SUCCEEDED', timeWindowStart: '2025-10-27T00:00:00.000Z', timeWindowEnd: '2025-11-09T23:59:59.000Z', completedAt: '2025-11-10T06:00:00.000Z', rowCount: 660 },
    ],
    views: base.views.map((view) => (view.key === 'attribution.sales_by_campaign' ? { ...view, name: 'Sales by campaign and touch model (last touch, 14 days)' } : view)),
  };
  let path: string;
  let workbook: ExcelJS.Workbook;
  let summary: Awaited<ReturnType<typeof renderDashboardExcel>>;
  beforeAll(async () => {
    path = join(dir, 'dashboard.xlsx');
    summary = await renderDashboardExcel(doc, createWriteStream(path), {});
    workbook = await readWorkbook(path);
  });

  it('writes a summary, a table of contents, one sheet per data view and a history, names at most 31 characters and unique', () => {
    const names = workbook.worksheets.map((sheet) => sheet.name);
    expect(names).toEqual([
      'Summary', 'Contents', 'Headline metrics', 'Overall conversion', 'Conversion funnel', 'Daily impressions and clicks',
      'Sales by campaign and touch mod', 'Top campaigns', 'Execution history',
    ]);
    for (const name of names) expect(Array.from(name).length).toBeLessThanOrEqual(31);
    expect(summary).toMatchObject({ format: 'excel', sheetCount: 9, rowCount: 1 + 1 + 4 + 14 + 5 + 12 });
    // The contents keep the full view name the sheet name had to cut, and link to the sheet.
    const contents = workbook.getWorksheet('Contents')!;
    const row = contents.getRows(2, contents.rowCount - 1)!.find((candidate) => String(candidate.getCell(2).value).startsWith('Sales by campaign'))!;
    expect(row.getCell(2).value).toBe('Sales by campaign and touch model (last touch, 14 days)');
    expect(row.getCell(1).value).toMatchObject({ text: 'Sales by campaign and touch mod', hyperlink: "#'Sales by campaign and touch mod'!A1" });
  });

  it('opens on a summary: report, window as dates, execution, key metrics as formatted numbers, insights with confidence', () => {
    const sheet = workbook.getWorksheet('Summary')!;
    const byLabel = new Map<string, ExcelJS.Cell>();
    sheet.eachRow((row) => byLabel.set(String(row.getCell(1).value), row.getCell(2)));
    expect(sheet.getCell('A1').value).toBe(doc.report.name);
    expect(byLabel.get('Window start')!.value).toEqual(new Date('2025-10-27T00:00:00Z'));
    expect(byLabel.get('Window start')!.numFmt).toBe('yyyy-mm-dd');
    expect(byLabel.get('Execution')!.value).toBe('e-3');
    expect(byLabel.get('Impressions')!).toMatchObject({ value: 2_011_400, numFmt: '#,##0' });
    expect(byLabel.get('Spend')!).toMatchObject({ value: 21_903.55, numFmt: '"$"#,##0.00;-"$"#,##0.00' });
    const insight = sheet.getRows(1, sheet.rowCount)!.find((row) => row.getCell(2).value === doc.insights[0].text)!;
    expect(insight.getCell(3)).toMatchObject({ value: 0.87, numFmt: '0%' });
  });

  it('types every cell: dates are dates, counts integers in an integer format, money numbers in a currency format, rates percents', () => {
    const daily = workbook.getWorksheet('Daily impressions and clicks')!;
    expect(daily.getCell('A2').value).toEqual(new Date('2025-10-27T00:00:00Z'));
    expect(daily.getCell('A2').numFmt).toBe('yyyy-mm-dd');
    const sheet = workbook.getWorksheet('Top campaigns')!;
    const header = sheet.getRow(1).values as unknown[];
    expect(header.slice(1, 5)).toEqual(['Campaign', 'Impressions', 'Clicks', 'Spend']);
    expect(header.join(' ')).not.toMatch(/filteredRow|executionId|purchasesPer|\b[a-z]+[A-Z]\w*/);
    const row = sheet.getRow(2);
    expect(row.getCell(2)).toMatchObject({ value: 48_123_457, numFmt: '#,##0' });
    expect(Number.isInteger(row.getCell(2).value)).toBe(true);
    expect(row.getCell(4)).toMatchObject({ value: 1_664_233.47, numFmt: '"$"#,##0.00;-"$"#,##0.00' });
    expect(typeof row.getCell(9).value).toBe('number');
    expect(row.getCell(9).numFmt).toBe('0.00%');
    expect(row.getCell(17)).toMatchObject({ value: 0, numFmt: '#,##0' });
    // A number no metric names keeps two to four decimals: never "1." for a whole one.
    const funnel = workbook.getWorksheet('Conversion funnel')!;
    expect(funnel.getCell('C2')).toMatchObject({ value: 1, numFmt: '#,##0.00##' });
  });

  it('fits column widths to the values shown, freezes and filters each header row', () => {
    const sheet = workbook.getWorksheet('Top campaigns')!;
    const header = sheet.getRow(1);
    expect(header.getCell(1).font).toMatchObject({ bold: true });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:Q1');
    // "$9,876,543.21" is 13 characters: the Sales column is wide enough to show it.
    expect(sheet.getColumn(6).width).toBeGreaterThanOrEqual(15);
    expect(sheet.getColumn(1).width).toBe(60);
  });

  it('keeps one history row per execution, its window as dates and the exported one marked', () => {
    const sheet = workbook.getWorksheet('Execution history')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Execution', 'Status', 'Window start', 'Window end', 'Completed at', 'Result rows', 'Exported']);
    expect(sheet.rowCount).toBe(1 + 3);
    expect(sheet.getRow(2).getCell(3).value).toEqual(new Date('2025-10-13T00:00:00Z'));
    expect(sheet.getRow(3).getCell(2).value).toBe('FAILED');
    expect(sheet.getRow(4).getCell(7).value).toBe('this one');
  });

  it('writes formula-looking text as neutralised plain text, never as a formula', async () => {
    const original = buildExportDocument();
    const file = join(dir, 'injection.xlsx');
    await renderDashboardExcel(original, createWriteStream(file), { viewKey: 'performance.campaigns' });
    const sheet = (await readWorkbook(file)).getWorksheet('Campaign performance')!;
    const cells = (sheet.getColumn(1).values as unknown[]).slice(2);
    // XML turns a raw CR into LF, so the workbook spells line breaks as LF from the start.
    const asInXml = (text: string) => text.replace(/\r\n?/g, '\n');
    for (const [text, neutralised] of INJECTION_CASES) {
      expect(cells).toContain(asInXml(neutralised));
      expect(cells).not.toContain(asInXml(text));
    }
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
    expect(cells).toContain(JAPANESE_CAMPAIGN);
    expect(cells).toContain('Café — naïve 😀');
    expect(cells).toContain('multi\nline\nname');
    // Negative money stays a number; a withheld value is an empty cell, never 0.
    expect((sheet.getColumn(4).values as unknown[]).filter((value) => value === -5).length).toBeGreaterThan(0);
    expect(sheet.getRow(5).getCell(6).value).toBeNull();
  });

  it('passes verification', async () => {
    expect(await verifyExport(path, summary, expectExport(doc, 'excel'))).toMatchObject({ ok: true, details: { sheets: 9, rows: summary.rowCount } });
  });

  it('exports one view beside the summary, contents and history', async () => {
    const single = join(dir, 'single.xlsx');
    const result = await renderDashboardExcel(doc, createWriteStream(single), { viewKey: 'funnel.stages' });
    const book = await readWorkbook(single);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'Contents', 'Conversion funnel', 'Execution history']);
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
    expect(uniqueSheetName('History', used)).toBe('History 2');
  });
});
