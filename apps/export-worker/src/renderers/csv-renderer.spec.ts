import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { unzipSync } from 'fflate';
import { AWKWARD_CAMPAIGNS, INJECTION_CASES, buildExportDocument, wideTableDocument } from '../../test/fixtures/export-document.fixture';
import { RAW_COLUMNS, rawResultCsv, rawRow } from '../../test/fixtures/raw-result.fixture';
import { renderDashboardCsv, renderRawCsv } from './csv-renderer';
import { expectExport, expectRawExport, verifyExport } from './verify-export';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'csv-renderer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readCsv = async (path: string) => parse(await readFile(path), { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];

describe('renderDashboardCsv', () => {
  it('writes one view as a header and its rows, and every awkward cell survives the round trip', async () => {
    const doc = buildExportDocument();
    const path = join(dir, 'campaigns.csv');
    const summary = await renderDashboardCsv(doc, createWriteStream(path), { bom: false, viewKey: 'performance.campaigns' });

    const records = await readCsv(path);
    // Headings carry the unit a bare number cannot: money in the report's currency, percents as percentages.
    expect(records[0]).toEqual(['Campaign', 'Impressions', 'Clicks', 'Spend (USD)', 'CTR (%)', 'ROAS']);
    expect(records).toHaveLength(1 + 66);
    expect(summary).toMatchObject({ format: 'csv', rowCount: 66, sections: 0 });
    const campaigns = records.slice(1).map((record) => record[0]);
    for (const name of AWKWARD_CAMPAIGNS) expect(campaigns).toContain(name);
    for (const [text, neutralised] of INJECTION_CASES) {
      expect(campaigns).toContain(neutralised);
      expect(campaigns).not.toContain(text);
    }
    // Numbers are written as numbers: a refund of -5 stays "-5", not "'-5".
    expect(records.slice(1).map((record) => record[3])).toContain('-5');
    // A withheld value (null) is an empty field, never 0.
    expect(records[4][5]).toBe('');
    expect(await verifyExport(path, summary, expectExport(doc, 'csv', 'performance.campaigns'))).toMatchObject({ ok: true });
  });

  it('writes RFC 4180: CRLF between records, quotes doubled, fields with line breaks quoted', async () => {
    const path = join(dir, 'rfc.csv');
    await renderDashboardCsv(buildExportDocument(), createWriteStream(path), { bom: false, viewKey: 'performance.campaigns' });
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('Campaign,Impressions,Clicks,Spend (USD),CTR (%),ROAS\r\n')).toBe(true);
    // CTR 0.01 is written 1 under "CTR (%)".
    expect(text).toContain('"Say ""hello"", world",10000,100,87,1,2\r\n');
    expect(text).toContain('"multi\nline\r\nname",');
    expect(text).toContain(`"'\rCR",`);
  });

  it('writes the dashboard as a ZIP of one CSV per view with a README and a manifest', async () => {
    const doc = { ...wideTableDocument(), report: { ...wideTableDocument().report, executionId: '8d1c7a2e-4b7e-4f0e-9a59-4b9d0c6e2f11' } };
    const path = join(dir, 'dashboard.zip');
    const summary = await renderDashboardCsv(doc, createWriteStream(path), { bom: true });

    const entries = unzipSync(await readFile(path));
    const dataViews = doc.views.filter((view) => view.viewType !== 'insight');
    expect(Object.keys(entries).sort()).toEqual([
      '01-headline-metrics.csv', '02-overall-conversion.csv', '03-conversion-funnel.csv', '04-daily-impressions-and-clicks.csv',
      '05-sales-by-campaign.csv', '06-top-campaigns.csv', 'README.txt', 'manifest.json',
    ]);
    const csv = (name: string) => parse(Buffer.from(entries[name]), { bom: true }) as string[][];
    // Every file is one table, BOM first (Excel reads UTF-8), labels with their units, numbers bare.
    expect([...entries['01-headline-metrics.csv'].subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv('01-headline-metrics.csv')).toEqual([['Impressions', 'Clicks', 'Spend (USD)', 'ROAS'], ['2011400', '24871', '21903.55', '3.41']]);
    expect(csv('03-conversion-funnel.csv')[0]).toEqual(['Stage', 'Users', 'Conversion rate']);
    const campaigns = csv('06-top-campaigns.csv');
    expect(campaigns[0]).toEqual([
      'Campaign', 'Impressions', 'Clicks', 'Spend (USD)', 'Purchases', 'Sales (USD)', 'New-to-brand sales (USD)', 'Reach', 'Click-through rate (CTR) (%)',
      'Cost per click (CPC) (USD)', 'Cost per 1,000 impressions (CPM) (USD)', 'Return on ad spend (ROAS)', 'New-to-brand ROAS (NTB sales per spend)',
      'Cost per purchase (CPA) (USD)', 'Purchase rate (of clicks) (%)', 'Advertising cost of sales (ACoS) (%)', 'Withheld rows',
    ]);
    // Counts integers, money to the cent, rates to 4 significant digits, no thousands separators.
    expect(campaigns[1].slice(1, 13)).toEqual(['48123457', '905117', '1664233.47', '61789', '9876543.21', '3086419.75', '12345679', '1.881', '1.84', '34.58', '5.935', '1.855']);
    // Dates ISO 8601.
    expect(csv('04-daily-impressions-and-clicks.csv')[1][0]).toBe('2025-10-27');
    for (const name of Object.keys(entries).filter((file) => file.endsWith('.csv'))) {
      expect(csv(name)[0].join(' ')).not.toMatch(/filteredRow|executionId|purchasesPer|\b[a-z]+[A-Z]\w*/);
    }
    const readme = Buffer.from(entries['README.txt']).toString('utf8');
    for (const expected of ['Q4 Sponsored Ads Performance', 'Time window:   2025-10-27T00:00:00.000Z to 2025-11-09T23:59:59.000Z', 'Execution:     8d1c7a2e',
      'Generated at:  2025-11-10T08:15:00.000Z', '06-top-campaigns.csv: Top campaigns (12 rows)', '  - Spend (USD): money, to the cent (USD)']) {
      expect(readme).toContain(expected);
    }
    const manifest = JSON.parse(Buffer.from(entries['manifest.json']).toString('utf8'));
    expect(manifest).toMatchObject({ executionId: doc.report.executionId, window: { start: doc.report.timeWindowStart, end: doc.report.timeWindowEnd }, generatedAt: doc.report.generatedAt });
    expect(manifest.files).toHaveLength(dataViews.length);
    const rows = dataViews.reduce((sum, view) => sum + view.data.rows.length, 0);
    expect(summary.rowCount).toBe(rows);
    expect(await verifyExport(path, summary, expectExport(doc, 'csv'))).toMatchObject({ ok: true, details: { rows, files: dataViews.length } });
  });

  it('writes no BOM when the export panel switches it off', async () => {
    const path = join(dir, 'no-bom.csv');
    await renderDashboardCsv(buildExportDocument(), createWriteStream(path), { bom: false, viewKey: 'performance.campaigns' });
    expect((await readFile(path)).subarray(0, 8).toString('utf8')).toBe('Campaign');
  });

  it('refuses a CSV of an insight view, which has no rows', async () => {
    await expect(renderDashboardCsv(buildExportDocument(), createWriteStream(join(dir, 'insights.csv')), { bom: false, viewKey: 'insights' })).rejects.toThrow(
      'view "insights" holds insights, not rows: export it as PDF, PNG or Excel',
    );
  });
});

describe('renderRawCsv', () => {
  it('streams an archived result row by row, neutralising text but keeping plain numbers', async () => {
    const path = join(dir, 'raw.csv');
    const progress: number[] = [];
    const summary = await renderRawCsv(rawResultCsv(2_500), createWriteStream(path), { bom: false, onProgress: (rows) => progress.push(rows), progressEvery: 1_000 });

    expect(summary).toMatchObject({ format: 'csv', rowCount: 2_500 });
    expect(progress).toEqual([1_000, 2_000, 2_500]);
    const records = await readCsv(path);
    expect(records[0]).toEqual(RAW_COLUMNS);
    expect(records).toHaveLength(2_501);
    const column = (name: string) => RAW_COLUMNS.indexOf(name);
    expect(records[1][column('campaign')]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(records[1][column('note')]).toBe('Say "hi", then\nleave');
    expect(records[2][column('campaign')]).toBe("'+1+1");
    expect(records[2][column('spend')]).toBe('-12.5');
    expect(records[2][column('note')]).toBe('ホリデー_スポンサー広告');
    expect(records[3][column('ad_group')]).toBe("'@SUM(A1)");
    expect(records[3][column('note')]).toBe("'\tTab");
    expect(records[4][column('campaign')]).toBe("'\rCR");
    expect(records[4][column('note')]).toBe('00123');
    expect(records[5][column('campaign')]).toBe("'  =1+1");
    expect(records[5][column('ad_group')]).toBe(`'\n=HYPERLINK("http://evil.example","x")`);
    expect(records[5][column('note')]).toBe("'\u00a0@SUM(A1)");
    expect(records[5][column('spend')]).toBe(' -5');
    expect(records[2_500]).toEqual(rawRow(2_499));
    expect(await verifyExport(path, summary, expectRawExport('csv', 2_500))).toEqual({ ok: true, details: { bytes: expect.any(Number), records: 2_501, rows: 2_500 } });
  });

  it('fails on a malformed source instead of shifting columns', async () => {
    const input = Readable.from(['a,b,c\r\n1,2,3\r\n4,5\r\n']);
    await expect(renderRawCsv(input, createWriteStream(join(dir, 'bad.csv')), { bom: false })).rejects.toThrow(/columns|record/i);
  });

  it('writes a header-only result as zero rows', async () => {
    const path = join(dir, 'empty.csv');
    const summary = await renderRawCsv(Readable.from(['a,b\r\n']), createWriteStream(path), { bom: true });
    expect(summary.rowCount).toBe(0);
    expect(await verifyExport(path, summary, expectRawExport('csv', 0))).toMatchObject({ ok: true });
  });
});
