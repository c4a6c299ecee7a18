import type {
  BucketMetricStats, ColumnProfile, CrossBreakdown, CrossBucket, DateBucket, DimensionBucket, MetricStats, MetricTotals, ResultProfile,
} from '@amc-reports/contracts/src/result-profile';
import { DIMENSION_TOP_K, OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { BASE_METRICS, buildMetricFrame, cleanFloat, humanizeColumn, type MetricSettings } from '@amc-reports/metrics';

/** A member of a period: its profile and the days it covers (for notes). */
export interface PeriodMember {
  profile: ResultProfile;
  /** "2026-11-02 – 2026-11-08". */
  window: string;
}

/** Base metrics that count distinct users (reach): never added across executions (libs/metrics addSumsAcrossExecutions). */
const DISTINCT_USER_METRICS = BASE_METRICS.filter((metric) => metric.distinctUsers).map((metric) => metric.id);

interface Bucket extends BucketMetricStats {
  rowCount: number;
  filteredRowCount: number;
  totals: MetricTotals;
}

/**
 * Several executions' profiles as the profile of their period, by the metric layer's rules:
 * volumes add up (a bucket missing from a week had no rows there); a column without a value in
 * some week is unknown for the period (never a partial sum passed off as the total); counts of
 * distinct users (reach, converted users) are unknown (a user reached in two weeks is one user);
 * spend read in different units by different weeks is converted to the currency before adding.
 * The caller passes executions of non-overlapping windows, so nothing is counted twice.
 */
export function mergeProfiles(members: readonly PeriodMember[], settings: MetricSettings): ResultProfile {
  if (members.length === 0) throw new Error('a period needs at least one execution');
  const frames = members.map((member) => buildMetricFrame(member.profile, settings));
  const notes: string[] = [];

  const distinctColumns = new Set(frames.flatMap((frame) => DISTINCT_USER_METRICS.flatMap((id) => frame.columns[id as keyof typeof frame.columns]?.columns ?? [])));
  if (members.length > 1 && distinctColumns.size > 0) {
    notes.push(
      `${[...distinctColumns].join(', ')}: distinct users cannot be added across ${members.length} executions (a user reached in two weeks is one user), so the period's figure is unknown; open one execution to see it`,
    );
  }

  // Spend in different units (one week dollars, another millicents): each week's spend in major units first.
  const divisors = frames.map((frame) => frame.spend?.divisor ?? 1);
  const spendColumns = new Set(frames.flatMap((frame) => frame.spend?.columns ?? []));
  const mixedSpend = new Set(divisors).size > 1;
  const scaled = members.map((member, index) => (mixedSpend ? scaleSpend(member.profile, spendColumns, divisors[index]) : member.profile));
  if (mixedSpend) {
    const units = [...new Set(frames.map((frame) => frame.spend?.unit ?? 'dollars'))].join(', ');
    // Converted, the period's spend reads as dollars again (its CPM is the real one).
    notes.push(`spend: the executions read spend in different units (${units}); each was converted to ${settings.currency ?? 'USD'} before adding up`);
  }

  const metrics = unionInOrder(scaled.map((profile) => profile.metrics));
  const everywhere = (column: string) => scaled.every((profile) => profile.metrics.includes(column));
  const unknownColumns = metrics.filter((column) => distinctColumns.has(column) || !everywhere(column));
  for (const column of metrics.filter((name) => !distinctColumns.has(name))) {
    const without = members.filter((member) => !member.profile.metrics.includes(column)).map((member) => member.window);
    const noValue = members.filter((member) => member.profile.metrics.includes(column) && member.profile.totals[column] === undefined).map((member) => member.window);
    if (without.length > 0) notes.push(`${humanizeColumn(column)}: not in the result of ${without.join(', ')}, so unknown for the period`);
    else if (noValue.length > 0) notes.push(`${humanizeColumn(column)}: no value in ${noValue.join(', ')} (every row withheld or empty), so unknown for the period`);
  }
  const dropUnknown = (totals: MetricTotals): MetricTotals =>
    Object.fromEntries(Object.entries(totals).filter(([column]) => !unknownColumns.includes(column)));

  const whole = mergeBuckets(scaled.map((profile) => ({ rowCount: profile.rowCount, filteredRowCount: profile.filteredRowCount, totals: profile.totals, ...statsBucket(profile.metricStats) })));
  const dimensions = unionInOrder(scaled.map((profile) => profile.dimensions));
  const dimensionBreakdowns: Record<string, DimensionBucket[]> = {};
  let folded = false;
  for (const dimension of dimensions) {
    const merged = mergeKeyed(scaled.map((profile) => profile.dimensionBreakdowns[dimension] ?? []), (bucket) => bucket.key);
    const buckets = [...merged.entries()].map(([key, bucket]) => ({ key, ...bucket, totals: dropUnknown(bucket.totals) }));
    const { kept, wasFolded } = foldPastTopK(buckets);
    folded ||= wasFolded;
    dimensionBreakdowns[dimension] = kept;
  }
  const dateColumn = scaled.map((profile) => profile.dateColumn).find((column) => column !== null) ?? null;
  const dates = mergeKeyed(scaled.filter((profile) => profile.dateColumn === dateColumn).map((profile) => profile.dateSeries), (bucket) => bucket.date);
  const dateSeries: DateBucket[] = [...dates.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([date, bucket]) => ({ date, ...bucket, totals: dropUnknown(bucket.totals) }));
  const crossBreakdowns = mergeCrossBreakdowns(scaled, dropUnknown);
  if (folded) notes.push('some keys beyond the top 1,000 of the period are folded into "Other"');

  return {
    version: 1,
    rowCount: whole.rowCount,
    filteredRowCount: whole.filteredRowCount,
    columns: mergeColumns(scaled),
    metrics,
    dimensions,
    dateColumn,
    totals: dropUnknown(whole.totals),
    dimensionBreakdowns,
    dateSeries,
    filteredColumn: scaled.map((profile) => profile.filteredColumn).find(Boolean) ?? null,
    metricStats: metricStatsOf(whole, metrics),
    crossBreakdowns,
    notes: [...unionInOrder(scaled.map((entry) => entry.notes ?? [])), ...notes],
  };
}

function unionInOrder(lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  for (const list of lists) for (const item of list) seen.add(item);
  return [...seen];
}

/**
 * Buckets of one key across executions: counts add up; a metric sum adds up only when every part
 * that has the bucket has a value for it (a week where all its rows were withheld leaves it unknown).
 */
function mergeBuckets(parts: readonly Bucket[]): Required<Bucket> {
  const merged: Required<Bucket> = { rowCount: 0, filteredRowCount: 0, totals: {}, valueCounts: {}, min: {}, max: {} };
  const columns = new Set(parts.flatMap((part) => Object.keys(part.totals)));
  for (const part of parts) {
    merged.rowCount += part.rowCount;
    merged.filteredRowCount += part.filteredRowCount;
    for (const [column, count] of Object.entries(part.valueCounts ?? {})) merged.valueCounts[column] = (merged.valueCounts[column] ?? 0) + count;
    for (const [column, value] of Object.entries(part.min ?? {})) merged.min[column] = Math.min(merged.min[column] ?? Infinity, value);
    for (const [column, value] of Object.entries(part.max ?? {})) merged.max[column] = Math.max(merged.max[column] ?? -Infinity, value);
  }
  for (const column of columns) {
    if (parts.some((part) => part.totals[column] === undefined)) continue;
    merged.totals[column] = cleanFloat(parts.reduce((sum, part) => sum + (part.totals[column] ?? 0), 0));
  }
  return merged;
}

function mergeKeyed<T extends Omit<Bucket, 'filteredRowCount'> & { filteredRowCount?: number }>(lists: ReadonlyArray<readonly T[]>, keyOf: (bucket: T) => string): Map<string, Required<Bucket>> {
  const parts = new Map<string, Bucket[]>();
  for (const list of lists) {
    for (const bucket of list) {
      const key = keyOf(bucket);
      parts.set(key, [...(parts.get(key) ?? []), { ...bucket, filteredRowCount: bucket.filteredRowCount ?? 0 }]);
    }
  }
  return new Map([...parts.entries()].map(([key, bucketParts]) => [key, mergeBuckets(bucketParts)]));
}

/** The profile's order: most rows first (ties by key), `__other__` last; keys past the top K folded into it. */
function foldPastTopK(buckets: DimensionBucket[]): { kept: DimensionBucket[]; wasFolded: boolean } {
  const other = buckets.filter((bucket) => bucket.key === OTHER_BUCKET_KEY);
  const ranked = buckets.filter((bucket) => bucket.key !== OTHER_BUCKET_KEY)
    .sort((a, b) => b.rowCount - a.rowCount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const past = ranked.slice(DIMENSION_TOP_K);
  const folded = [...other, ...past];
  const kept = ranked.slice(0, DIMENSION_TOP_K);
  if (folded.length > 0) kept.push({ key: OTHER_BUCKET_KEY, ...mergeBuckets(folded) });
  return { kept, wasFolded: past.length > 0 };
}

function mergeCrossBreakdowns(profiles: readonly ResultProfile[], dropUnknown: (totals: MetricTotals) => MetricTotals): CrossBreakdown[] {
  const byPair = new Map<string, { dimensions: [string, string]; lists: CrossBucket[][] }>();
  for (const profile of profiles) {
    for (const cross of profile.crossBreakdowns ?? []) {
      const id = cross.dimensions.join('\u0001');
      const entry = byPair.get(id) ?? { dimensions: cross.dimensions, lists: [] };
      entry.lists.push(cross.buckets);
      byPair.set(id, entry);
    }
  }
  return [...byPair.values()].map(({ dimensions, lists }) => {
    const merged = mergeKeyed(lists, (bucket) => bucket.keys.join('\u0001'));
    const buckets = [...merged.entries()].map(([id, bucket]) => ({ keys: id.split('\u0001') as [string, string], ...bucket, totals: dropUnknown(bucket.totals) }))
      .sort((a, b) => b.rowCount - a.rowCount || (a.keys.join() < b.keys.join() ? -1 : 1));
    return { dimensions, buckets };
  });
}

function mergeColumns(profiles: readonly ResultProfile[]): ColumnProfile[] {
  const columns = new Map<string, ColumnProfile>();
  for (const profile of [...profiles].reverse()) {
    for (const column of profile.columns) {
      const seen = columns.get(column.name);
      if (!seen) columns.set(column.name, { ...column });
      else {
        seen.nullCount += column.nullCount;
        if (column.invalidCount) seen.invalidCount = (seen.invalidCount ?? 0) + column.invalidCount;
      }
    }
  }
  const order = unionInOrder(profiles.map((profile) => profile.columns.map((column) => column.name)));
  return order.map((name) => columns.get(name)!);
}

function statsBucket(stats: Record<string, MetricStats> | undefined): BucketMetricStats {
  const entries = Object.entries(stats ?? {});
  return {
    valueCounts: Object.fromEntries(entries.map(([column, stat]) => [column, stat.count])),
    min: Object.fromEntries(entries.map(([column, stat]) => [column, stat.min])),
    max: Object.fromEntries(entries.map(([column, stat]) => [column, stat.max])),
  };
}

function metricStatsOf(bucket: Required<Bucket>, metrics: readonly string[]): Record<string, MetricStats> {
  return Object.fromEntries(metrics.filter((column) => bucket.valueCounts[column] !== undefined)
    .map((column) => [column, { count: bucket.valueCounts[column], min: bucket.min[column], max: bucket.max[column] }]));
}

/** One execution's spend columns divided into the currency's major unit (every bucket, every stat). */
function scaleSpend(profile: ResultProfile, columns: ReadonlySet<string>, divisor: number): ResultProfile {
  if (divisor === 1) return profile;
  const scale = (values: MetricTotals | undefined): MetricTotals | undefined =>
    values && Object.fromEntries(Object.entries(values).map(([column, value]) => [column, columns.has(column) ? cleanFloat(value / divisor) : value]));
  const bucket = <T extends Bucket>(entry: T): T => ({ ...entry, totals: scale(entry.totals)!, ...(entry.min ? { min: scale(entry.min) } : {}), ...(entry.max ? { max: scale(entry.max) } : {}) });
  return {
    ...profile,
    totals: scale(profile.totals)!,
    dimensionBreakdowns: Object.fromEntries(Object.entries(profile.dimensionBreakdowns).map(([dimension, buckets]) => [dimension, buckets.map(bucket)])),
    dateSeries: profile.dateSeries.map((entry) => bucket({ ...entry, filteredRowCount: entry.filteredRowCount ?? 0 })),
    crossBreakdowns: (profile.crossBreakdowns ?? []).map((cross) => ({ ...cross, buckets: cross.buckets.map(bucket) })),
    metricStats: profile.metricStats && Object.fromEntries(Object.entries(profile.metricStats).map(([column, stat]) =>
      [column, columns.has(column) ? { count: stat.count, min: stat.min / divisor, max: stat.max / divisor } : stat])),
  };
}
