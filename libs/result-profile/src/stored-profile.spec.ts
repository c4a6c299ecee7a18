import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import { packProfile, unpackProfile, type DimensionBucket, type PackedProfile, type ResultProfile } from '@amc-reports/contracts';
import { seededRandom } from '@amc-reports/testing/src/seeded-random';
import { FIXTURES_DIR } from '../test/profile-fixtures';
import { profileCsvStream } from './profile-csv-stream';
import { randomAmcCsv, randomProfileOptions } from './testing/random-amc-csv';
import { UnusableResultError } from './unusable-result.error';

/** What a reader gets back from the column: the packed profile through JSON, unpacked. */
const throughColumn = (profile: ResultProfile): ResultProfile => unpackProfile(JSON.parse(JSON.stringify(packProfile(profile))));

async function profileOf(bytes: Buffer, options = {}): Promise<ResultProfile | null> {
  try {
    return await profileCsvStream(Readable.from([bytes]), options);
  } catch (error) {
    if (error instanceof UnusableResultError) return null;
    throw error;
  }
}

describe('stored (packed) profiles', () => {
  const fixtures = [
    ...readdirSync(FIXTURES_DIR).filter((name) => name.endsWith('.csv')),
    ...readdirSync(join(FIXTURES_DIR, 'history')).map((name) => join('history', name)),
  ];

  it.each(fixtures)('reads fixture %s back exactly as profiled', async (name) => {
    const profile = await profileOf(readFileSync(join(FIXTURES_DIR, name)));
    if (!profile) return;
    // Through JSON on both sides: the column is JSON, so what was never JSON-able is not the question.
    expect(isDeepStrictEqual(throughColumn(profile), JSON.parse(JSON.stringify(profile)))).toBe(true);
  });

  it('reads 120 seeded random AMC-shaped profiles back exactly, and stores the one-row buckets in fewer bytes', async () => {
    const random = seededRandom(17);
    let compared = 0;
    let packedBytes = 0;
    let fullBytes = 0;
    for (let file = 0; file < 120; file++) {
      const profile = await profileOf(randomAmcCsv(random), randomProfileOptions(random));
      if (!profile) continue;
      compared++;
      expect(throughColumn(profile)).toStrictEqual(JSON.parse(JSON.stringify(profile)));
      packedBytes += JSON.stringify(packProfile(profile)).length;
      fullBytes += JSON.stringify(profile).length;
    }
    expect(compared).toBeGreaterThan(60);
    expect(packedBytes).toBeLessThan(fullBytes);
  });

  it('stores a campaign-per-row result in under a sixth of its bytes, keeping the stats of buckets with several rows', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `Campaign_${i},${i % 2 ? 'SPONSORED_PRODUCTS' : 'DSP'},${1000 + i},${i % 7},${(250.5 + i).toFixed(2)}`);
    const profile = (await profileOf(Buffer.from(['campaign,ad_product_type,impressions,clicks,product_sales', ...rows].join('\n'))))!;
    const packed = packProfile(profile) as PackedProfile;
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(profile).length / 6);
    // A one-row bucket is a row of values under the list's metric names.
    expect(packed.dimensionBreakdowns.campaign.metrics).toEqual(['impressions', 'clicks', 'product_sales']);
    expect(packed.dimensionBreakdowns.campaign.buckets[0]).toEqual(['Campaign_0', 1, 0, 1000, 0, 250.5]);
    expect(packed.crossBreakdowns![0].buckets.buckets[1]).toEqual([['Campaign_1', 'SPONSORED_PRODUCTS'], 1, 0, 1001, 1, 251.5]);
    const adProduct = packed.dimensionBreakdowns.ad_product_type.buckets[0] as DimensionBucket;
    expect(adProduct.rowCount).toBe(100);
    expect(adProduct.valueCounts).toEqual({ impressions: 100, clicks: 100, product_sales: 100 });
    expect(throughColumn(profile)).toStrictEqual(JSON.parse(JSON.stringify(profile)));
    // Read back with its fields in the profiler's order, the profile's and each bucket's.
    expect(JSON.stringify(throughColumn(profile))).toBe(JSON.stringify(profile));
  });

  it('keeps what a row cannot restore: a one-row bucket whose min differs from its total, other metrics, an unknown field; a bucket without stats', () => {
    const bucket = { key: 'a', rowCount: 1, filteredRowCount: 0, totals: { spend: 0.30000000000000004 }, valueCounts: { spend: 1 }, min: { spend: 0.1 }, max: { spend: 0.1 } };
    const oneRow = (key: string, totals: Record<string, number>, extra = {}) => ({ key, rowCount: 1, filteredRowCount: 0, totals, valueCounts: Object.fromEntries(Object.keys(totals).map((name) => [name, 1])), min: totals, max: totals, ...extra });
    const profile: ResultProfile = {
      version: 1, rowCount: 4, filteredRowCount: 0, columns: [], metrics: ['spend', 'clicks'], dimensions: ['campaign'], dateColumn: null,
      totals: { spend: 0.3 },
      dimensionBreakdowns: { campaign: [bucket, oneRow('b', { spend: 2, clicks: 1 }), oneRow('c', { clicks: 3, spend: 1 }), oneRow('d', { spend: 1, clicks: 1 }, { note: 'x' }), oneRow('e', { spend: -0, clicks: Number.NaN })] },
      dateSeries: [],
    };
    const packed = packProfile(profile) as PackedProfile;
    const [kept, row, otherOrder, unknownField, signed] = packed.dimensionBreakdowns.campaign.buckets;
    expect(kept).toEqual(bucket);
    expect(row).toEqual(['b', 1, 0, 2, 1]);
    expect(otherOrder).toEqual({ key: 'c', rowCount: 1, filteredRowCount: 0, totals: { clicks: 3, spend: 1 } });
    expect(unknownField).toEqual({ key: 'd', rowCount: 1, filteredRowCount: 0, totals: { spend: 1, clicks: 1 }, note: 'x' });
    expect(signed).toEqual(['e', 1, 0, -0, Number.NaN]);
    expect(throughColumn(profile)).toStrictEqual(JSON.parse(JSON.stringify(profile)));
    const withoutStats = { ...profile, dimensionBreakdowns: { campaign: [{ key: 'a', rowCount: 1, filteredRowCount: 0, totals: { spend: 1 } }] } };
    expect(packProfile(withoutStats)).toBe(withoutStats);
    expect(unpackProfile(JSON.parse(JSON.stringify(packProfile(withoutStats))))).toEqual(withoutStats);
  });

  it.each(['funnel_with_filtered_rows', 'performance_daily'])('reads %s as packing version 1 stored it', (name) => {
    const read = (suffix: string) => JSON.parse(readFileSync(join(__dirname, '..', 'test', 'stored', `${name}.${suffix}.json`), 'utf8'));
    const storedV1 = read('packed-v1');
    expect(storedV1.packed).toBe(1);
    expect(unpackProfile(storedV1)).toStrictEqual(read('profile'));
  });

  it('reads a profile stored before packing unchanged', async () => {
    const profile = (await profileOf(Buffer.from('campaign,impressions\nA,1\nB,2\n')))!;
    const stored = JSON.parse(JSON.stringify(profile));
    expect(unpackProfile(stored)).toStrictEqual(JSON.parse(JSON.stringify(profile)));
  });
});
