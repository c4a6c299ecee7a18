import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { profileFixture, singleExecutionInput } from '../test/build-inputs';
import { profileInlineRows } from '@amc-reports/result-profile';
import { describePath, parseChannelCount, parseFrequencyLowerBound } from './audience-labels';
import { buildAudienceViews } from './build-audience-views';

const view = (views: BuiltView[], key: string): BuiltView => views.find((entry) => entry.key === key)!;

describe('buildAudienceViews', () => {
  it('sizes the exposure groups of audience_overlap.csv and their overlap', async () => {
    const views = buildAudienceViews(singleExecutionInput(await profileFixture('audience_overlap.csv')));
    expect(views.map((entry) => [entry.position, entry.key])).toEqual([
      [0, 'audience.cards'],
      [1, 'audience.segments'],
      [2, 'audience.overlap'],
      [3, 'audience.reach-history'],
    ]);
    const segments = view(views, 'audience.segments');
    // 437094 + 317062 + 73855 + 394532 + 401452 + 444645 (the groups are disjoint).
    expect(segments.data.summary?.reach).toBe(2_068_640);
    expect(segments.data.summary?.convertedUsers).toBe(56_638); // 15730 + 11008 + 1356 + 9093 + 13507 + 5944
    expect(segments.data.rows.map((row) => [row.segment, row.reach, row.channels])).toEqual([
      ['All three', 444_645, 3],
      ['DSP only', 437_094, 1],
      ['DSP + Sponsored Brands', 401_452, 2],
      ['DSP + Sponsored Products', 394_532, 2],
      ['Sponsored Products only', 317_062, 1],
      ['Sponsored Brands only', 73_855, 1],
    ]);
    const dspOnly = segments.data.rows[1];
    expect(dspOnly.convertedUsersOfReach).toBeCloseTo(15_730 / 437_094, 12); // 3.60 %, matching the file's 0.035988
    expect(dspOnly.shareOfReach).toBeCloseTo(437_094 / 2_068_640, 12); // 21.13 %
    expect(segments.chart.series.map((series) => series.label)).toEqual(['Reach', 'Converted users (of reach)']);

    const overlap = view(views, 'audience.overlap');
    expect(overlap.data.summary?.singleChannelReach).toBe(828_011); // 437094 + 317062 + 73855
    expect(overlap.data.summary?.multiChannelReach).toBe(1_240_629); // 394532 + 401452 + 444645
    expect(overlap.data.summary?.singleChannelRate).toBeCloseTo(28_094 / 828_011, 12); // 3.39 %
    expect(overlap.data.summary?.multiChannelRate).toBeCloseTo(28_544 / 1_240_629, 12); // 2.30 %
  });

  it('indexes each exposure group to all groups and gives its uplift over the single-channel groups', async () => {
    const overlap = view(buildAudienceViews(singleExecutionInput(await profileFixture('audience_overlap.csv'))), 'audience.overlap');
    const all = 56_638 / 2_068_640; // 2.738 %
    const single = 28_094 / 828_011; // 3.393 %
    const allThree = overlap.data.rows.find((row) => row.segment === 'All three')!;
    expect(allThree.indexVsAll).toBeCloseTo(5_944 / 444_645 / all, 10); // 0.49
    expect(allThree.upliftVsSingleChannel).toBeCloseTo(5_944 / 444_645 / single - 1, 10); // −60.6 %
    const dspAndBrands = overlap.data.rows.find((row) => row.segment === 'DSP + Sponsored Brands')!;
    expect(dspAndBrands.upliftVsSingleChannel).toBeCloseTo(13_507 / 401_452 / single - 1, 10); // −0.8 %
    expect(overlap.data.summary?.multiChannelUplift).toBeCloseTo(28_544 / 1_240_629 / single - 1, 10); // −32.2 %
  });

  it('orders the frequency distribution of frequency_distribution.csv by bucket and totals reach', async () => {
    const frequency = view(buildAudienceViews(singleExecutionInput(await profileFixture('frequency_distribution.csv'))), 'audience.frequency');
    expect(frequency.data.rows.map((row) => row.bucket)).toEqual(['1', '2', '3', '4', '5', '6-10', '11-20', '21+']);
    // users_in_bucket: 599013 + 233458 + 114902 + 58751 + 23235 + 12617 + 7977 + 3040.
    expect(frequency.data.summary?.reach).toBe(1_052_993);
    // impressions_in_bucket: 8386182 + 700374 + 1378824 + 352506 + 46470 + 264957 + 103701 + 60800.
    expect(frequency.data.summary?.impressions).toBe(11_293_814);
    expect(frequency.data.summary?.averageFrequency).toBeCloseTo(11_293_814 / 1_052_993, 12); // 10.73
    expect(frequency.data.rows[0].shareOfReach).toBeCloseTo(599_013 / 1_052_993, 12); // 56.9 % saw one impression
    expect(frequency.data.rows[2].cumulativeShareOfReach).toBeCloseTo((599_013 + 233_458 + 114_902) / 1_052_993, 12);
    expect(frequency.data.rows.at(-1)?.cumulativeShareOfReach).toBe(1);
    expect(frequency.data.rows[0].purchaseRateOfReach).toBeCloseTo(1_341 / 599_013, 12);
  });

  it('headlines average frequency and the bucket where the purchase rate peaks', async () => {
    const views = buildAudienceViews(singleExecutionInput(await profileFixture('frequency_distribution.csv')));
    const cards = view(views, 'audience.cards');
    expect(cards.data.rows[0].averageFrequency).toBeCloseTo(11_293_814 / 1_052_993, 10); // 10.73 impressions per reached user
    // Purchases per reached user: 1 → 0.224 %, 3 → 0.191 %, 6-10 → 42 / 12,617 = 0.333 % (the peak), 21+ → 0.296 %.
    expect(cards.data.rows[0].peakPurchaseRateBucket).toBe('6-10');
    expect(cards.chart.series.find((series) => series.field === 'peakPurchaseRateBucket')?.label).toBe('Frequency with the highest purchase rate (of reach)');
    expect(view(views, 'audience.frequency').data.summary?.peakPurchaseRate).toBeCloseTo(42 / 12_617, 12);
  });

  it('ranks the paths of path_to_conversion.csv by purchases, merging repeated paths', async () => {
    const paths = view(buildAudienceViews(singleExecutionInput(await profileFixture('path_to_conversion.csv'))), 'audience.paths');
    expect(paths.data.rows).toHaveLength(10);
    expect(paths.data.rows[0]).toMatchObject({
      path: 'Launch_Sponsored_Display → Holiday_Sponsored_Products → Holiday_Sponsored_Products',
      steps: 3,
      pathOccurrences: 16_712,
      purchases: 1_455,
      sales: 49_761,
    });
    // 15 rows, 14 distinct paths; all purchases: 7806.
    expect(paths.data.rows[0].share).toBeCloseTo(1_455 / 7_806, 12); // 18.6 %
    expect(paths.data.summary?.distinctPaths).toBe(14);
    // HSP → HSP appears twice in the file: 679 + 106 purchases, 12774 + 3790 occurrences.
    const repeated = paths.data.rows.find((row) => row.path === 'Holiday_Sponsored_Products → Holiday_Sponsored_Products')!;
    expect([repeated.purchases, repeated.pathOccurrences]).toEqual([785, 16_564]);
    expect(paths.data.rows.map((row) => row.purchases).slice(0, 3)).toEqual([1_455, 1_251, 1_207]);
  });

  it('gives each path its purchase rate, as a table and as a chart', async () => {
    const views = buildAudienceViews(singleExecutionInput(await profileFixture('path_to_conversion.csv')));
    const paths = view(views, 'audience.paths');
    const repeated = paths.data.rows.find((row) => row.path === 'Holiday_Sponsored_Products → Holiday_Sponsored_Products')!;
    // users_that_purchased 566 + 89 over path occurrences 12,774 + 3,790: a ratio of sums (3.95 %),
    // not the mean of the file's user_purchase_rate 0.044309 and 0.023483 (3.39 %).
    expect(repeated.convertedUsers).toBe(655);
    expect(repeated.convertedUsersOfPathOccurrences).toBeCloseTo(655 / 16_564, 12);
    const chart = view(views, 'audience.path-rates');
    expect(chart.chart).toMatchObject({ kind: 'bar', x: { field: 'path' }, series: [{ field: 'convertedUsersOfPathOccurrences', label: 'Converted users (of path occurrences)', format: 'percent' }] });
    expect(chart.data.rows).toHaveLength(10);
  });

  it('reads paths in AMC\'s unquoted array form', () => {
    const profile = profileInlineRows(
      ['path', 'path_occurrences', 'users_that_purchased'],
      [
        ['[Brand_Defense_SB, Launch_Sponsored_Display]', 100, 5],
        ['[Brand_Defense_SB]', 50, 1],
      ],
    );
    const paths = view(buildAudienceViews(singleExecutionInput(profile)), 'audience.paths');
    expect(paths.data.rows.map((row) => [row.path, row.steps, row.convertedUsersOfPathOccurrences])).toEqual([
      ['Brand_Defense_SB → Launch_Sponsored_Display', 2, 0.05],
      ['Brand_Defense_SB', 1, 0.02],
    ]);
  });

  it('rejects a result with nothing audience-like', () => {
    const input = singleExecutionInput(profileInlineRows(['campaign', 'clicks'], [['A', 1]]));
    expect(() => buildAudienceViews(input)).toThrow('an audience dashboard needs an exposure_group, frequency_bucket or path column');
  });
});

describe('audience labels', () => {
  it.each<[string, number | null]>([
    ['DSP only', 1],
    ['DSP + Sponsored Products', 2],
    ['A + B + C', 3],
    ['All three', 3],
    ['All 4', 4],
    ['Exposed', null],
  ])('counts the channels of %p as %p', (segment, channels) => {
    expect(parseChannelCount(segment)).toBe(channels);
  });

  it.each<[string, number | null]>([
    ['1', 1],
    ['6-10', 6],
    ['21+', 21],
    ['never', null],
  ])('reads the lower bound of %p as %p', (bucket, bound) => {
    expect(parseFrequencyLowerBound(bucket)).toBe(bound);
  });

  it.each<[string, string, number | null]>([
    ['[[2, "B"], [1, "A"]]', 'A → B', 2],
    ['["A", "B"]', 'A → B', 2],
    ['[A, B, C]', 'A → B → C', 3],
    ['[[1, Launch_SD], [2, Brand_SB]]', 'Launch_SD → Brand_SB', 2],
    ["[(1, 'A')]", "[(1, 'A')]", null],
  ])('describes the path %s', (raw, text, steps) => {
    expect(describePath(raw)).toEqual({ text, steps });
  });
});
