import { Readable } from 'node:stream';
import { fixturePath, profileFixture } from '../test/profile-fixtures';
import { profileCsvStream, profileInlineRows } from './profile-csv-stream';
import { UnusableResultError } from './unusable-result.error';

const fromText = (text: string) => Readable.from([Buffer.from(text, 'utf8')]);

describe('profileCsvStream', () => {
  it.each<[string, number, string[], string[], string | null]>([
    ['funnel_by_campaign.csv', 8, ['impressions', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales', 'new_to_brand_purchases'], ['campaign', 'ad_product_type'], null],
    ['performance_daily.csv', 155, ['impressions', 'clicks', 'total_cost', 'purchases', 'product_sales'], ['campaign'], 'event_date'],
    ['attribution_models.csv', 24, ['impressions', 'clicks', 'user_reach', 'users_that_converted', 'conversions', 'conversion_rate', 'total_units_sold', 'total_product_sales'], ['attribution_model', 'campaign_id_string', 'campaign', 'ad_product_type'], null],
    ['frequency_distribution.csv', 8, ['users_in_bucket', 'impressions_in_bucket', 'clicks', 'detail_page_view', 'add_to_cart', 'purchases', 'product_sales'], ['frequency_bucket'], null],
    ['path_to_conversion.csv', 15, ['path_occurrences', 'impressions', 'imp_total_cost', 'users_that_purchased', 'sales_amount', 'purchases', 'user_purchase_rate'], ['path'], null],
  ])('profiles %s: %i rows, metrics, dimensions and date column by sniffing', async (name, rowCount, metrics, dimensions, dateColumn) => {
    const profile = await profileFixture(name);
    expect(profile).toMatchObject({ version: 1, rowCount, filteredRowCount: 0, metrics, dimensions, dateColumn });
  });

  it('totals funnel_by_campaign.csv', async () => {
    const profile = await profileFixture('funnel_by_campaign.csv');
    expect(profile.totals).toEqual({
      impressions: 9_062_960, // 759126 + 1987787 + 1814034 + 183996 + 726933 + 1573404 + 1308012 + 709668
      clicks: 108_487, // 14470 + 22131 + 22091 + 3601 + 8784 + 4925 + 24357 + 8128
      detail_page_view: 57_465,
      add_to_cart: 11_589, // 806 + 1470 + 4403 + 366 + 708 + 246 + 1898 + 1692
      purchases: 4_250, // 425 + 335 + 1907 + 115 + 303 + 116 + 516 + 533
      product_sales: 134_606.35, // 9530.25 + 7458.28 + 39870.63 + 2849.7 + 8129.47 + 4419.23 + 28200.43 + 34148.36
      new_to_brand_purchases: 1_692,
    });
    expect(profile.dimensionBreakdowns.ad_product_type.map((bucket) => [bucket.key, bucket.rowCount])).toEqual([
      ['DSP', 5],
      ['SPONSORED_BRANDS', 1],
      ['SPONSORED_DISPLAY', 1],
      ['SPONSORED_PRODUCTS', 1],
    ]);
  });

  it('counts the withheld rows of funnel_with_filtered_rows.csv without summing them', async () => {
    const profile = await profileFixture('funnel_with_filtered_rows.csv');
    expect(profile.rowCount).toBe(8);
    expect(profile.filteredRowCount).toBe(3); // Always_On_SP_Generic, Competitor_Conquest_SB, STV_Awareness_Q4
    expect(profile.totals.impressions).toBe(4_011_079); // 683731 + 815885 + 613015 + 157244 + 1741204
    expect(profile.columns.find((column) => column.name === 'filtered')).toEqual({ name: 'filtered', kind: 'boolean', nullCount: 0 });
    expect(profile.columns.find((column) => column.name === 'purchases')?.nullCount).toBe(3);
  });

  const tricky =
    '\uFEFFキャンペーン,note,impressions,clicks\r\n' +
    '"春のセール, 2026","line one\nline two",1000,10\r\n' +
    '"ブランド ""認知""",plain,2000,\r\n' +
    '\r\n' +
    '"春のセール, 2026",,500,5\r\n';

  it('profiles quoted fields, embedded commas, quotes and newlines, a BOM and Japanese text', async () => {
    const profile = await profileCsvStream(fromText(tricky));
    expect(profile.columns.map((column) => [column.name, column.kind])).toEqual([
      ['キャンペーン', 'string'],
      ['note', 'string'],
      ['impressions', 'number'],
      ['clicks', 'number'],
    ]);
    expect(profile.rowCount).toBe(3); // the blank line is skipped
    expect(profile.totals).toEqual({ impressions: 3500, clicks: 15 });
    expect(profile.dimensionBreakdowns['キャンペーン'].map((bucket) => [bucket.key, bucket.rowCount, bucket.totals.impressions])).toEqual([
      ['春のセール, 2026', 2, 1500],
      ['ブランド "認知"', 1, 2000],
    ]);
    expect(profile.dimensionBreakdowns.note.map((bucket) => bucket.key)).toContain('line one\nline two');
  });

  it('gives the same profile when the bytes arrive in small chunks split inside characters', async () => {
    const bytes = Buffer.from(tricky, 'utf8');
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, index) => bytes.subarray(index * 7, index * 7 + 7));
    expect(await profileCsvStream(Readable.from(chunks))).toEqual(await profileCsvStream(fromText(tricky)));
  });

  it.each<[string, string, string, string]>([
    ['a ragged row', 'campaign,clicks,purchases\nA,1,2\nB,3\n', 'ragged_row', 'ragged row 2 (line 3): 2 fields where the header has 3'],
    ['a row with too many fields', 'campaign,clicks\nA,1\nB,2\nC,3,4\n', 'ragged_row', 'ragged row 3 (line 4): 3 fields where the header has 2'],
    ['an empty file', '', 'no_header', 'the result is empty: no header row'],
    ['blank lines only', '\n\n\n', 'no_header', 'the result is empty: no header row'],
    ['a file without a header', '2026-10-01,100,5\n2026-10-02,200,6\n', 'no_header', 'the result has no header row: its first row holds values (2026-10-01, 100, 5), not column names'],
    ['an unclosed quote', 'campaign,clicks\n"A,1\nB,2\n', 'csv_syntax', 'a quoted field is never closed: the file ends inside the quote opened at line 2'],
    ['a stray quote', 'campaign,clicks\n"A"x,1\n', 'csv_syntax', 'malformed quoting at line 2: a quote inside a field must be doubled ("")'],
  ])('rejects %s with a readable UnusableResultError', async (_name, text, reason, message) => {
    const error = await profileCsvStream(fromText(text)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnusableResultError);
    expect(error).toMatchObject({ reason, message });
  });

  it('bounds the bytes one row may buffer', async () => {
    const text = `campaign,clicks\n"${'x'.repeat(5000)},1\n`;
    await expect(profileCsvStream(fromText(text), { maxRecordBytes: 1024 })).rejects.toMatchObject({
      reason: 'record_too_large',
      message: 'the row at line 2 is larger than 1024 bytes (is a quote never closed?)',
    });
  });

  it('rethrows an error of the input stream itself (a dropped download is retried, not unusable)', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    });
    const error = await profileCsvStream(failing).catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(UnusableResultError);
    expect(error).toMatchObject({ message: 'socket hang up' });
  });

  it('reads fixtures from the project\'s own copies, never the shared samples folder', () => {
    expect(fixturePath('x.csv')).toContain('libs/result-profile/test/fixtures');
  });
});

describe('profileInlineRows', () => {
  it('profiles inline rows of numbers, strings, booleans and null', () => {
    const profile = profileInlineRows(
      ['campaign', 'impressions', 'product_sales', 'is_brand', 'filtered'],
      [
        ['Holiday_Sponsored_Products', 599215, 18750.84, true, false],
        ['Brand_Defense_SB', 1608262, '22585.61', false, false],
        ['Prospecting_DSP_Display', null, null, null, true],
      ],
    );
    expect(profile.columns.map((column) => column.kind)).toEqual(['string', 'number', 'number', 'boolean', 'boolean']);
    expect(profile.metrics).toEqual(['impressions', 'product_sales']);
    expect(profile.dimensions).toEqual(['campaign', 'is_brand']);
    expect(profile.totals).toEqual({ impressions: 2_207_477, product_sales: 41_336.45 }); // 599215 + 1608262; 18750.84 + 22585.61
    expect(profile.filteredRowCount).toBe(1);
    expect(profile.dimensionBreakdowns.is_brand.map((bucket) => bucket.key)).toEqual(['__null__', 'false', 'true']);
  });

  it.each<[string, unknown[][], string]>([
    ['a short row', [['A', 1], ['B']], 'ragged row 2: 1 values where the header has 2 columns'],
    ['a row that is not an array', [['A', 1], 'B,2' as unknown as unknown[]], 'row 2 is not an array of values'],
  ])('rejects %s', (_name, rows, message) => {
    expect(() => profileInlineRows(['campaign', 'clicks'], rows)).toThrow(message);
  });
});
