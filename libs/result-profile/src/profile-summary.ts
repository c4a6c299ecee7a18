import type { CrossBreakdown, CrossBucket, DateBucket, DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import type { MetricAccumulator } from './metric-accumulator';
import type { ProfileAccumulator } from './profile-accumulator';

/** The ResultProfile of everything the accumulator has seen (top K per dimension, notes). */
export function summarizeProfile(accumulator: ProfileAccumulator, rowCount: number): ResultProfile {
  const { plan, limits, overall } = accumulator;
  const metrics = plan.metricColumns.map((column) => plan.columns[column]);
  const dimensions = plan.dimensionColumns.map((column) => plan.columns[column]);
  const notes: string[] = [];
  const profile: ResultProfile = {
    version: 1,
    rowCount,
    filteredRowCount: overall.filteredRowCount,
    columns: plan.columns.map((name, index) => ({
      name,
      kind: plan.kinds[index],
      nullCount: accumulator.nullCounts[index],
      ...(accumulator.invalidCounts[index] > 0 ? { invalidCount: accumulator.invalidCounts[index] } : {}),
    })),
    metrics,
    dimensions,
    dateColumn: plan.dateColumn === null ? null : plan.columns[plan.dateColumn],
    totals: overall.totals(metrics),
    dimensionBreakdowns: {},
    dateSeries: [],
    filteredColumn: plan.flagColumn === null ? null : plan.columns[plan.flagColumn],
    metricStats: {},
    dimensionKeyCounts: {},
    crossBreakdowns: [],
  };
  metrics.forEach((name, metric) => {
    const count = overall.valueCount(metric);
    if (count > 0) profile.metricStats![name] = { count, min: overall.min(metric), max: overall.max(metric) };
  });
  dimensions.forEach((name, slot) => {
    const top = accumulator.dimensions[slot].topK(limits.topK);
    const buckets: DimensionBucket[] = top.top.map(([key, bucket]) => dimensionBucket(key, bucket, metrics));
    if (top.other) buckets.push(dimensionBucket(OTHER_BUCKET_KEY, top.other, metrics));
    profile.dimensionBreakdowns[name] = buckets;
    profile.dimensionKeyCounts![name] = { distinctKeys: top.distinctKeys, exact: top.exact };
    if (!top.exact) notes.push(`${name}: more than ${limits.maxTrackedKeys} distinct values; later new values are in ${OTHER_BUCKET_KEY}`);
  });
  const stride = accumulator.pairStride;
  profile.crossBreakdowns = plan.crosses.map(([first, second], index): CrossBreakdown => {
    const top = accumulator.crosses[index].topK(limits.topK);
    const keysOf = (pairKey: number): [string, string] => [
      accumulator.dimensions[first].keyOf(Math.floor(pairKey / stride)),
      accumulator.dimensions[second].keyOf(pairKey % stride),
    ];
    const buckets: CrossBucket[] = top.top.map(([pairKey, bucket]) => crossBucket(keysOf(pairKey), bucket, metrics));
    if (top.other) buckets.push(crossBucket([OTHER_BUCKET_KEY, OTHER_BUCKET_KEY], top.other, metrics));
    return { dimensions: [dimensions[first], dimensions[second]], buckets };
  });
  profile.dateSeries = (accumulator.dates?.sortedByKey() ?? []).map(([date, bucket]) => dateBucket(date, bucket, metrics));
  const droppedDateRows = accumulator.dates?.untrackedRowCount ?? 0;
  if (droppedDateRows > 0) {
    notes.push(`${droppedDateRows} rows fall on dates past the first ${limits.maxDates} distinct dates and are not in dateSeries`);
  }
  const invalid = profile.columns.filter((column) => column.invalidCount);
  if (invalid.length > 0) {
    const counts = invalid.map((column) => `${column.name} (${column.invalidCount})`).join(', ');
    notes.push(`cells that did not fit their column's kind were read as NULL: ${counts}`);
  }
  return notes.length > 0 ? { ...profile, notes } : profile;
}

// One literal per bucket kind, fields in the stored order (key, rowCount, filteredRowCount, totals,
// valueCounts, min, max), not `{ key, ...fields }`: on Node 20 each object spread took V8's slow
// path, and a 200-campaign result has some 650 buckets (2 spreads each).
function dimensionBucket(key: string, bucket: MetricAccumulator, metrics: readonly string[]): DimensionBucket {
  const { valueCounts, min, max } = bucket.bucketStats(metrics);
  return { key, rowCount: bucket.rowCount, filteredRowCount: bucket.filteredRowCount, totals: bucket.totals(metrics), valueCounts, min, max };
}

function crossBucket(keys: [string, string], bucket: MetricAccumulator, metrics: readonly string[]): CrossBucket {
  const { valueCounts, min, max } = bucket.bucketStats(metrics);
  return { keys, rowCount: bucket.rowCount, filteredRowCount: bucket.filteredRowCount, totals: bucket.totals(metrics), valueCounts, min, max };
}

function dateBucket(date: string, bucket: MetricAccumulator, metrics: readonly string[]): DateBucket {
  const { valueCounts, min, max } = bucket.bucketStats(metrics);
  return { date, rowCount: bucket.rowCount, filteredRowCount: bucket.filteredRowCount, totals: bucket.totals(metrics), valueCounts, min, max };
}
