import type { BucketMetricStats, MetricTotals, ResultProfile } from './result-profile';

/**
 * How a ResultProfile is stored in `workflow_executions.result_profile`. Most buckets of an AMC
 * result hold one counted row (a campaign, a campaign × ad product pair): their value counts are
 * all 1 and their min and max equal their totals, which made up two thirds of a profile's bytes
 * (217 kB of a 200-campaign result; every history read parsed them again, in Postgres and in
 * Node). Packed, such a bucket keeps only its totals; unpacking restores the three objects
 * exactly. Packing drops nothing it cannot restore bit for bit, and a profile it cannot pack
 * losslessly is stored as it is. Profiles stored before packing (no `packed`) read unchanged.
 */
export type StoredProfile = ResultProfile & { packed?: typeof PACKED_VERSION };

const PACKED_VERSION = 1;

interface StatsBucket extends BucketMetricStats {
  rowCount: number;
  filteredRowCount?: number;
  totals: MetricTotals;
}

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

function packBucket<B extends StatsBucket>(bucket: B): B {
  if (!derivable(bucket)) return bucket;
  const { valueCounts: _counts, min: _min, max: _max, ...rest } = bucket;
  return rest as B;
}

/** Every bucket of a profile, in one list. */
function everyBucket(profile: ResultProfile): StatsBucket[] {
  const buckets: StatsBucket[] = [];
  for (const name in profile.dimensionBreakdowns) for (const bucket of profile.dimensionBreakdowns[name]) buckets.push(bucket);
  for (const bucket of profile.dateSeries) buckets.push(bucket);
  for (const cross of profile.crossBreakdowns ?? []) for (const bucket of cross.buckets) buckets.push(bucket);
  return buckets;
}

function mapBuckets(profile: ResultProfile, map: <B extends StatsBucket>(bucket: B) => B): ResultProfile {
  return {
    ...profile,
    dimensionBreakdowns: Object.fromEntries(Object.entries(profile.dimensionBreakdowns).map(([name, buckets]) => [name, buckets.map(map)])),
    dateSeries: profile.dateSeries.map(map),
    ...(profile.crossBreakdowns ? { crossBreakdowns: profile.crossBreakdowns.map((cross) => ({ ...cross, buckets: cross.buckets.map(map) })) } : {}),
  };
}

/**
 * The profile as stored. A bucket without its stats cannot be told apart from a packed one, so
 * a profile with such a bucket (never made by the profiler) is stored unpacked.
 */
export function packProfile(profile: ResultProfile): StoredProfile {
  if (everyBucket(profile).some((bucket) => !bucket.valueCounts || !bucket.min || !bucket.max)) return profile;
  return { ...mapBuckets(profile, packBucket), packed: PACKED_VERSION };
}

/**
 * The profile as the profiler made it, from what is stored (packed or not). In place: it is
 * called on what was just parsed from the column, and copying 400 buckets cost more than parsing.
 *
 * A restored bucket's `min` and `max` are its `totals` object itself, and buckets with the same
 * metrics share one `valueCounts` object: the values are exactly the profiler's, and a profile is
 * read-only once stored (readers get it frozen outside production, so a writer fails in tests).
 * Three new objects per bucket made an unpacked 200-campaign profile 234 kB of heap instead of
 * 103 kB, which is what bounds how many profiles a worker's cache holds.
 */
export function unpackProfile(stored: StoredProfile): ResultProfile {
  if (stored.packed !== PACKED_VERSION) return stored;
  const sharedCounts = new Map<string, MetricTotals>();
  for (const bucket of everyBucket(stored)) {
    if (bucket.valueCounts) continue;
    const { totals } = bucket;
    const names = Object.keys(totals);
    const signature = names.join('\u0000');
    let valueCounts = sharedCounts.get(signature);
    if (!valueCounts) {
      valueCounts = {};
      for (const name of names) valueCounts[name] = 1;
      sharedCounts.set(signature, valueCounts);
    }
    bucket.valueCounts = valueCounts;
    bucket.min = totals;
    bucket.max = totals;
  }
  delete stored.packed;
  return stored;
}
