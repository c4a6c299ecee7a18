import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AWKWARD_CAMPAIGNS, INJECTION_CASES, buildExportDocument } from '../../test/fixtures/export-document.fixture';
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

  it('writes every data view as a titled section for the dashboard scope', async () => {
    const doc = buildExportDocument();
    const path = join(dir, 'dashboard.csv');
    const summary = await renderDashboardCsv(doc, createWriteStream(path), { bom: true });

    const raw = await readFile(path);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = await readCsv(path);
    const dataViews = doc.views.filter((view) => view.viewType !== 'insight');
    expect(summary.sections).toBe(dataViews.length);
    expect(records[0]).toEqual(['Headline metrics']);
    expect(records[1]).toEqual(['Impressions', 'Clicks', 'Spend (USD)', 'ROAS']);
    expect(records[2]).toEqual(['2011400', '24871', '21903.55', '3.41']);
    expect(records[3]).toEqual(['']);
    expect(records[4]).toEqual(['Overall conversion']);
    // The funnel keeps its extra field (conversion rate) beside the series.
    const funnelHeader = records[records.findIndex((record) => record[0] === 'Conversion funnel') + 1];
    expect(funnelHeader).toEqual(['stage', 'Users', 'conversionRate']);
    const rows = dataViews.reduce((sum, view) => sum + view.data.rows.length, 0);
    expect(summary.rowCount).toBe(rows);
    expect(await verifyExport(path, summary, expectExport(doc, 'csv'))).toMatchObject({ ok: true, details: { rows } });
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
