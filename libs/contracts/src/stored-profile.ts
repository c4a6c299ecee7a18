import type { BucketMetricStats, CrossBreakdown, MetricTotals, ResultProfile } from './result-profile';

/**
 * How a ResultProfile is stored in `workflow_executions.result_profile`. Most buckets of an AMC
 * result hold one counted row (a campaign, a campaign × ad product pair): their value counts are
 * all 1 and their min and max equal their totals. Stored as objects, such a bucket repeated every
 * metric's name four times; a 200-campaign result's profile was 217 kB, then 77 kB with the stats
 * left out (packing version 1), and every write and history read paid for those bytes twice: in
 * Node (stringify, parse, garbage) and in Postgres (compression, WAL).
 *
 * Version 2 stores each bucket list as its metric names once and each one-row bucket as a row of
 * values, `[key, rowCount, filteredRowCount, ...totals]` (25 kB for that result). A bucket that
 * does not fit a row (several rows, other metrics, a field the packer does not know) is kept as an
 * object, its stats dropped where they can be derived. Unpacking restores every bucket exactly.
 * Profiles stored unpacked or packed with version 1 read unchanged.
 */
export type StoredProfile = (ResultProfile & { packed?: typeof PACKED_V1 }) | PackedProfile;

const PACKED_V1 = 1;
const PACKED_V2 = 2;

/** One bucket list as version 2 stores it: the metrics of its rows, then rows and bucket objects in their order. */
export interface StoredBucketList {
  metrics: string[];
  buckets: Array<unknown[] | StatsBucket>;
}

export type PackedProfile = Omit<ResultProfile, 'dimensionBreakdowns' | 'dateSeries' | 'crossBreakdowns'> & {
  packed: typeof PACKED_V2;
  dimensionBreakdowns: Record<string, StoredBucketList>;
  dateSeries: StoredBucketList;
  crossBreakdowns?: Array<Omit<CrossBreakdown, 'buckets'> & { buckets: StoredBucketList }>;
};

interface StatsBucket extends BucketMetricStats {
  rowCount: number;
  filteredRowCount?: number;
  totals: MetricTotals;
}

/** The field naming a bucket in each kind of list: a dimension's key, a date, a pair of keys. */
type Label = 'key' | 'date' | 'keys';
const KNOWN_FIELDS = new Set(['rowCount', 'filteredRowCount', 'totals', 'valueCounts', 'min', 'max']);

/** One counted row: each metric with a value has count 1 and min = max = its total. */
function derivable(bucket: StatsBucket): boolean {
  const { valueCounts, min, max, totals } = bucket;
  if (!valueCounts || !min || !max) return false;
  if (bucket.rowCount - (bucket.filteredRowCount ?? 0) !== 1) return false;
  const names = Object.keys(totals);
  if (Object.keys(valueCounts).length !== names.length || Object.keys(min).length !== names.length || Object.keys(max).length !== names.length) {
    return false;
  }
  // Object.is: a -0 or NaN must come back as it was.
  return names.every((name) => valueCounts[name] === 1 && Object.is(min[name], totals[name]) && Object.is(max[name], totals[name]));
}

/** A derivable bucket as a row, or null when a row would not restore it (other metrics or fields, an odd label). */
function asRow(bucket: StatsBucket, label: Label, metrics: readonly string[]): unknown[] | null {
  const names = Object.keys(bucket.totals);
  if (names.length !== metrics.length || names.some((name, i) => name !== metrics[i])) return null;
  for (const field in bucket) if (field !== label && !KNOWN_FIELDS.has(field)) return null;
  const name = (bucket as unknown as Record<Label, unknown>)[label];
  const fits = label === 'keys' ? Array.isArray(name) && name.length === 2 && name.every((key) => typeof key === 'string') : typeof name === 'string';
  const filtered = bucket.filteredRowCount;
  if (!fits || (filtered !== undefined && typeof filtered !== 'number')) return null;
  const row: unknown[] = [name, bucket.rowCount, filtered ?? null];
  for (const metric of metrics) row.push(bucket.totals[metric]);
  return row;
}

function packList(buckets: readonly StatsBucket[], label: Label): StoredBucketList {
  const first = buckets.find(derivable);
  const metrics = first ? Object.keys(first.totals) : [];
  return {
    metrics,
    buckets: buckets.map((bucket) => {
      if (!derivable(bucket)) return bucket;
      const row = asRow(bucket, label, metrics);
      if (row) return row;
      const { valueCounts: _counts, min: _min, max: _max, ...rest } = bucket;
      return rest;
    }),
  };
}

/** Every bucket of a profile, in one list. */
function everyBucket(profile: ResultProfile): StatsBucket[] {
  const buckets: StatsBucket[] = [];
  for (const name in profile.dimensionBreakdowns) for (const bucket of profile.dimensionBreakdowns[name]) buckets.push(bucket);
  for (const bucket of profile.dateSeries) buckets.push(bucket);
  for (const cross of profile.crossBreakdowns ?? []) for (const bucket of cross.buckets) buckets.push(bucket);
  return buckets;
}

/**
 * The profile as stored. A bucket without its stats cannot be told apart from one whose stats
 * were dropped, so a profile with such a bucket (never made by the profiler) is stored unpacked.
 */
export function packProfile(profile: ResultProfile): StoredProfile {
  if (everyBucket(profile).some((bucket) => !bucket.valueCounts || !bucket.min || !bucket.max)) return profile;
  // Field by field, in the profile's order: what is read back lists its fields as the profiler did.
  const stored: Record<string, unknown> = {};
  for (const field in profile) {
    const value = profile[field as keyof ResultProfile];
    if (field === 'dimensionBreakdowns') {
      const lists: Record<string, StoredBucketList> = {};
      for (const name in profile.dimensionBreakdowns) lists[name] = packList(profile.dimensionBreakdowns[name], 'key');
      stored[field] = lists;
    } else if (field === 'dateSeries') {
      stored[field] = packList(profile.dateSeries, 'date');
    } else if (field === 'crossBreakdowns' && profile.crossBreakdowns) {
      stored[field] = profile.crossBreakdowns.map((cross) => ({ ...cross, buckets: packList(cross.buckets, 'keys') }));
    } else {
      stored[field] = value;
    }
  }
  stored.packed = PACKED_V2;
  return stored as PackedProfile;
}

/**
 * Restores what packing dropped. A restored bucket's `min` and `max` are its `totals` object
 * itself, and buckets with the same metrics share one `valueCounts` object: the values are exactly
 * the profiler's, and a profile is read-only once stored (readers get it frozen outside production,
 * so a writer fails in tests). Three new objects per bucket made an unpacked 200-campaign profile
 * 234 kB of heap instead of 103 kB, which is what bounds how many profiles a worker's cache holds.
 */
class BucketRestorer {
  private readonly sharedCounts = new Map<string, MetricTotals>();

  private countsOf(names: readonly string[]): MetricTotals {
    const signature = names.join('\u0000');
    let valueCounts = this.sharedCounts.get(signature);
    if (!valueCounts) {
      valueCounts = {};
      for (const name of names) valueCounts[name] = 1;
      this.sharedCounts.set(signature, valueCounts);
    }
    return valueCounts;
  }

  /** A bucket object whose stats were dropped gets them back, in place (what was parsed is the reader's). */
  object<B extends StatsBucket>(bucket: B): B {
    if (bucket.valueCounts) return bucket;
    bucket.valueCounts = this.countsOf(Object.keys(bucket.totals));
    bucket.min = bucket.totals;
    bucket.max = bucket.totals;
    return bucket;
  }

  list<B extends StatsBucket>(stored: StoredBucketList, label: Label): B[] {
    const { metrics } = stored;
    const valueCounts = this.countsOf(metrics);
    return stored.buckets.map((entry) => {
      if (!Array.isArray(entry)) return this.object(entry as B);
      const totals: MetricTotals = {};
      for (let i = 0; i < metrics.length; i++) totals[metrics[i]] = entry[i + 3] as number;
      const bucket: Record<string, unknown> = { [label]: entry[0], rowCount: entry[1] };
      if (entry[2] !== null) bucket.filteredRowCount = entry[2];
      bucket.totals = totals;
      bucket.valueCounts = valueCounts;
      bucket.min = totals;
      bucket.max = totals;
      return bucket as unknown as B;
    });
  }
}

/** The profile as the profiler made it, from what is stored (packed or not), reusing what was just parsed. */
export function unpackProfile(stored: StoredProfile): ResultProfile {
  if (stored.packed === PACKED_V2) return unpackV2(stored);
  if (stored.packed !== PACKED_V1) return stored;
  const restorer = new BucketRestorer();
  for (const bucket of everyBucket(stored)) restorer.object(bucket);
  delete stored.packed;
  return stored;
}

function unpackV2(stored: PackedProfile): ResultProfile {
  const restorer = new BucketRestorer();
  const profile: Record<string, unknown> = {};
  for (const field in stored) {
    if (field === 'packed') continue;
    if (field === 'dimensionBreakdowns') {
      const lists: ResultProfile['dimensionBreakdowns'] = {};
      for (const name in stored.dimensionBreakdowns) lists[name] = restorer.list(stored.dimensionBreakdowns[name], 'key');
      profile[field] = lists;
    } else if (field === 'dateSeries') {
      profile[field] = restorer.list(stored.dateSeries, 'date');
    } else if (field === 'crossBreakdowns' && stored.crossBreakdowns) {
      profile[field] = stored.crossBreakdowns.map((cross) => ({ ...cross, buckets: restorer.list(cross.buckets, 'keys') }));
    } else {
      profile[field] = stored[field as keyof PackedProfile];
    }
  }
  return profile as unknown as ResultProfile;
}
