import { OTHER_BUCKET_KEY, NULL_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { ResultProfileBuilder, type ResultProfileOptions } from './result-profile-builder';
import { UnusableResultError } from './unusable-result.error';

function profileOf(columns: string[], rows: unknown[][], options: ResultProfileOptions = {}) {
  const builder = new ResultProfileBuilder(columns, options);
  for (const row of rows) builder.addRow(row);
  return builder.finish();
}

describe('ResultProfileBuilder', () => {
  describe('top-K per dimension', () => {
    // a ×3, b ×2, c ×1 tracked; d arrives after the 3-key cap is full and goes straight to __other__.
    const rows = [
      ['a', 1],
      ['a', 2],
      ['b', 10],
      ['c', 100],
      ['a', 3],
      ['b', 20],
      ['d', 1000],
    ];

    it('keeps the K largest keys and folds the rest, and keys past the cap, into __other__', () => {
      const profile = profileOf(['campaign', 'clicks'], rows, { topK: 2, maxTrackedKeys: 3 });
      expect(profile.dimensionBreakdowns.campaign.map((bucket) => [bucket.key, bucket.rowCount, bucket.totals.clicks])).toEqual([
        ['a', 3, 6], // 1 + 2 + 3
        ['b', 2, 30], // 10 + 20
        [OTHER_BUCKET_KEY, 2, 1100], // c (past K) 100 + d (past the cap) 1000
      ]);
      expect(profile.dimensionKeyCounts?.campaign).toEqual({ distinctKeys: 3, exact: false });
      expect(profile.notes?.[0]).toContain('more than 3 distinct values');
      expect(profile.totals.clicks).toBe(1136);
    });

    it.each<[string, ResultProfileOptions, string[], boolean]>([
      ['no folding when every key fits', { topK: 10 }, ['a', 'b', 'c', 'd'], true],
      ['folding past K only', { topK: 3, maxTrackedKeys: 10 }, ['a', 'b', 'c', OTHER_BUCKET_KEY], true],
      ['ties broken by key', { topK: 1, maxTrackedKeys: 10 }, ['a', OTHER_BUCKET_KEY], true],
    ])('%s', (_name, options, keys, exact) => {
      const profile = profileOf(['campaign', 'clicks'], rows, options);
      expect(profile.dimensionBreakdowns.campaign.map((bucket) => bucket.key)).toEqual(keys);
      expect(profile.dimensionKeyCounts?.campaign.exact).toBe(exact);
    });

    it('folds a data value spelled like the reserved key into the single __other__ bucket', () => {
      const profile = profileOf(['campaign', 'clicks'], [['a', 1], [OTHER_BUCKET_KEY, 5], ['b', 2]], { topK: 1 });
      expect(profile.dimensionBreakdowns.campaign.map((bucket) => [bucket.key, bucket.totals.clicks])).toEqual([
        ['a', 1],
        [OTHER_BUCKET_KEY, 7],
      ]);
    });
  });

  describe('rows withheld by AMC', () => {
    const columns = ['campaign', 'impressions', 'purchases', 'filtered'];
    const rows = [
      ['A', '100', '5', 'false'],
      ['A', '', '', 'true'], // flagged
      ['B', 'NULL', 'null', ''], // every metric NULL, no flag
      ['B', '50', '', 'false'], // one NULL metric: not withheld, the NULL is not summed
      ['C', '10', '1', 'true'], // flagged even with values: never summed
    ];
    const profile = profileOf(columns, rows);

    it('counts them overall and per key, never summing them', () => {
      expect(profile.rowCount).toBe(5);
      expect(profile.filteredRowCount).toBe(3);
      expect(profile.totals).toEqual({ impressions: 150, purchases: 5 });
      expect(profile.filteredColumn).toBe('filtered');
      expect(profile.dimensions).toEqual(['campaign']);
      const byKey = Object.fromEntries(profile.dimensionBreakdowns.campaign.map((bucket) => [bucket.key, bucket]));
      expect(byKey.A).toMatchObject({ rowCount: 2, filteredRowCount: 1, totals: { impressions: 100, purchases: 5 } });
      expect(byKey.B).toMatchObject({ rowCount: 2, filteredRowCount: 1, totals: { impressions: 50 } });
      // C is entirely withheld: no totals at all (unknown), not zeros.
      expect(byKey.C).toMatchObject({ rowCount: 1, filteredRowCount: 1, totals: {} });
    });

    it('keeps value counts and extremes of the non-withheld values only', () => {
      expect(profile.metricStats).toEqual({ impressions: { count: 2, min: 50, max: 100 }, purchases: { count: 1, min: 5, max: 5 } });
    });
  });

  it('reads a later cell that does not fit its column kind as NULL and counts it', () => {
    // Kinds come from the first 2 rows; "n/a" arrives while streaming.
    const profile = profileOf(['campaign', 'clicks'], [['A', '1'], ['B', '2'], ['C', 'n/a'], ['D', '4']], { sampleSize: 2 });
    expect(profile.columns[1]).toEqual({ name: 'clicks', kind: 'number', nullCount: 0, invalidCount: 1 });
    expect(profile.totals.clicks).toBe(7);
    // An unreadable cell is not a withheld row.
    expect(profile.filteredRowCount).toBe(0);
    expect(profile.notes).toEqual([expect.stringContaining('clicks (1)')]);
  });

  it('builds the date series by calendar day, ascending, with withheld rows counted', () => {
    const profile = profileOf(
      ['event_date', 'clicks', 'filtered'],
      [
        ['2026-10-02T10:00:00Z', '5', 'false'],
        ['2026-10-01', '1', 'false'],
        ['2026-10-02 23:00:00', '7', 'false'],
        ['2026-10-01', '', 'true'],
      ],
    );
    expect(profile.dateColumn).toBe('event_date');
    expect(profile.dateSeries.map(({ date, rowCount, filteredRowCount, totals }) => ({ date, rowCount, filteredRowCount, totals }))).toEqual([
      { date: '2026-10-01', rowCount: 2, filteredRowCount: 1, totals: { clicks: 1 } },
      { date: '2026-10-02', rowCount: 2, filteredRowCount: 0, totals: { clicks: 12 } },
    ]);
  });

  it('leaves dates past the date cap out of the series, and says so', () => {
    const rows = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-03'].map((date) => [date, '1']);
    const profile = profileOf(['event_date', 'clicks'], rows, { maxDates: 2 });
    expect(profile.dateSeries.map((bucket) => bucket.date)).toEqual(['2026-10-01', '2026-10-02']);
    expect(profile.totals.clicks).toBe(4);
    expect(profile.notes).toEqual([expect.stringContaining('2 rows fall on dates past the first 2')]);
  });

  it('crosses low-cardinality facets with the other dimensions', () => {
    const profile = profileOf(
      ['attribution_model', 'campaign', 'conversions'],
      [
        ['first_touch', 'A', '3'],
        ['last_touch', 'A', '1'],
        ['first_touch', 'B', '2'],
        ['first_touch', 'A', '4'],
      ],
    );
    expect(profile.crossBreakdowns).toEqual([
      {
        dimensions: ['attribution_model', 'campaign'],
        buckets: [
          expect.objectContaining({ keys: ['first_touch', 'A'], rowCount: 2, totals: { conversions: 7 } }),
          expect.objectContaining({ keys: ['first_touch', 'B'], rowCount: 1, totals: { conversions: 2 } }),
          expect.objectContaining({ keys: ['last_touch', 'A'], rowCount: 1, totals: { conversions: 1 } }),
        ],
      },
    ]);
  });

  it('adds decimals without binary drift', () => {
    // 0.1 ten thousand times is 1000 exactly; naive summation gives 1000.0000000001588.
    const profile = profileOf(['sales'], Array.from({ length: 10_000 }, () => ['0.1']));
    expect(profile.totals.sales).toBe(1000);
  });

  it('keys NULL dimension cells as __null__ and cuts very long values', () => {
    const profile = profileOf(['campaign', 'clicks'], [['', '1'], ['x'.repeat(50), '2']], { maxKeyLength: 10 });
    expect(profile.dimensionBreakdowns.campaign.map((bucket) => bucket.key).sort()).toEqual([NULL_BUCKET_KEY, `${'x'.repeat(10)}…`]);
    expect(profile.columns[0].nullCount).toBe(1);
  });

  it.each<[string, unknown[], string]>([
    ['an empty header', [], 'the result has no header row'],
    ['a header of values', ['2026-10-01', '12', '3.5'], 'the result has no header row: its first row holds values (2026-10-01, 12, 3.5), not column names'],
    ['a repeated column name', ['clicks', 'clicks'], 'column "clicks" appears twice in the header row'],
  ])('rejects %s with a readable reason', (_name, header, message) => {
    expect(() => new ResultProfileBuilder(header)).toThrow(new UnusableResultError('no_header', message));
  });

  it('rejects a ragged row with its row number', () => {
    const builder = new ResultProfileBuilder(['campaign', 'clicks']);
    builder.addRow(['A', '1']);
    expect(() => builder.addRow(['B'])).toThrow('ragged row 2: 1 values where the header has 2 columns');
  });

  it('names blank header cells and strips a BOM', () => {
    const profile = profileOf(['\uFEFFcampaign', ' ', 'clicks'], [['A', 'x', '1']]);
    expect(profile.columns.map((column) => column.name)).toEqual(['campaign', 'column_2', 'clicks']);
  });

  it('profiles a header-only result as zero rows', () => {
    const profile = profileOf(['campaign', 'clicks'], []);
    expect(profile).toMatchObject({ rowCount: 0, filteredRowCount: 0, totals: {} });
  });
});
