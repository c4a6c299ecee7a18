import type {
  ColumnKind,
  CrossBreakdown,
  CrossBucket,
  DateBucket,
  DimensionBucket,
  ResultProfile,
} from '@amc-reports/contracts/src/result-profile';
import { NULL_BUCKET_KEY, OTHER_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { isFlagSet, isNullCell, readArrayCell, readBooleanCell, readDateCell, readNumberCell, readTextCell } from './cell-values';
import { KeyedBuckets, UNTRACKED_KEY_ID } from './keyed-buckets';
import { MetricAccumulator } from './metric-accumulator';

/** What each column is used for, decided once from the first rows. */
export interface ProfilePlan {
  columns: string[];
  kinds: ColumnKind[];
  /** Column indexes, in result order. */
  metricColumns: number[];
  dimensionColumns: number[];
  dateColumn: number | null;
  flagColumn: number | null;
  /** Pairs of positions in `dimensionColumns` (facet × dimension). */
  crosses: Array<[number, number]>;
}

export interface ProfileLimits {
  topK: number;
  maxTrackedKeys: number;
  maxTrackedPairs: number;
  maxKeyLength: number;
  maxDates: number;
}

// Distinct date texts remembered by the date parser before it starts over (bounded memory).
const DATE_CACHE_SIZE = 4096;

/** Streams rows into totals, per-dimension, per-date and facet × dimension buckets. */
export class ProfileAccumulator {
  private readonly overall: MetricAccumulator;
  private readonly dimensions: KeyedBuckets<string>[];
  /** Pair keys are `firstId * pairStride + secondId` (ids of the two dimensions' tracked keys). */
  private readonly crosses: KeyedBuckets<number>[];
  private readonly pairStride: number;
  private readonly dates: KeyedBuckets<string> | null;
  private readonly dateCache = new Map<unknown, string | undefined>();
  private readonly nullCounts: number[];
  private readonly invalidCounts: number[];
  private readonly metricValues: Float64Array;
  private readonly dimensionIds: Int32Array;
  private readonly otherColumns: number[];

  constructor(
    private readonly plan: ProfilePlan,
    private readonly limits: ProfileLimits,
  ) {
    const metricCount = plan.metricColumns.length;
    this.overall = new MetricAccumulator(metricCount);
    this.dimensions = plan.dimensionColumns.map(() => new KeyedBuckets<string>(metricCount, limits.maxTrackedKeys));
    this.crosses = plan.crosses.map(() => new KeyedBuckets<number>(metricCount, limits.maxTrackedPairs));
    this.pairStride = limits.maxTrackedKeys;
    this.dates = plan.dateColumn === null ? null : new KeyedBuckets<string>(metricCount, limits.maxDates);
    this.nullCounts = plan.columns.map(() => 0);
    this.invalidCounts = plan.columns.map(() => 0);
    this.metricValues = new Float64Array(metricCount);
    this.dimensionIds = new Int32Array(plan.dimensionColumns.length);
    const used = new Set([...plan.metricColumns, ...plan.dimensionColumns, plan.dateColumn, plan.flagColumn]);
    this.otherColumns = plan.columns.map((_, index) => index).filter((index) => !used.has(index));
  }

  add(values: readonly unknown[]): void {
    const { metricColumns, dimensionColumns, flagColumn, dateColumn, crosses } = this.plan;
    let everyMetricNull = true;
    for (let metric = 0; metric < metricColumns.length; metric++) {
      const column = metricColumns[metric];
      const cell = values[column];
      if (isNullCell(cell)) {
        this.nullCounts[column]++;
        this.metricValues[metric] = Number.NaN;
        continue;
      }
      // A cell that is present but unreadable is invalid, not withheld: it does not make the row "filtered".
      everyMetricNull = false;
      const parsed = readNumberCell(cell);
      if (parsed === undefined) this.invalidCounts[column]++;
      this.metricValues[metric] = parsed ?? Number.NaN;
    }
    const flagged = flagColumn !== null && this.readFlag(values[flagColumn], flagColumn);
    const filtered = flagged || (metricColumns.length > 0 && everyMetricNull);

    this.overall.add(this.metricValues, filtered);
    for (let slot = 0; slot < dimensionColumns.length; slot++) {
      const key = this.dimensionKey(values[dimensionColumns[slot]], dimensionColumns[slot]);
      this.dimensionIds[slot] = this.dimensions[slot].add(key, this.metricValues, filtered);
    }
    for (let index = 0; index < crosses.length; index++) {
      const firstId = this.dimensionIds[crosses[index][0]];
      const secondId = this.dimensionIds[crosses[index][1]];
      if (firstId === UNTRACKED_KEY_ID || secondId === UNTRACKED_KEY_ID) this.crosses[index].addUntracked(this.metricValues, filtered);
      else this.crosses[index].add(firstId * this.pairStride + secondId, this.metricValues, filtered);
    }
    if (this.dates && dateColumn !== null) this.addDate(values[dateColumn], dateColumn, filtered);
    for (const column of this.otherColumns) this.countOtherCell(values[column], column);
  }

  toProfile(rowCount: number): ResultProfile {
    const { plan, limits } = this;
    const metrics = plan.metricColumns.map((column) => plan.columns[column]);
    const dimensions = plan.dimensionColumns.map((column) => plan.columns[column]);
    const notes: string[] = [];
    const profile: ResultProfile = {
      version: 1,
      rowCount,
      filteredRowCount: this.overall.filteredRowCount,
      columns: plan.columns.map((name, index) => ({
        name,
        kind: plan.kinds[index],
        nullCount: this.nullCounts[index],
        ...(this.invalidCounts[index] > 0 ? { invalidCount: this.invalidCounts[index] } : {}),
      })),
      metrics,
      dimensions,
      dateColumn: plan.dateColumn === null ? null : plan.columns[plan.dateColumn],
      totals: this.overall.totals(metrics),
      dimensionBreakdowns: {},
      dateSeries: [],
      filteredColumn: plan.flagColumn === null ? null : plan.columns[plan.flagColumn],
      metricStats: {},
      dimensionKeyCounts: {},
      crossBreakdowns: [],
    };
    metrics.forEach((name, metric) => {
      const count = this.overall.valueCount(metric);
      if (count > 0) profile.metricStats![name] = { count, min: this.overall.min(metric), max: this.overall.max(metric) };
    });
    dimensions.forEach((name, slot) => {
      const top = this.dimensions[slot].topK(limits.topK);
      const buckets: DimensionBucket[] = top.top.map(([key, bucket]) => toBucket(key, bucket, metrics));
      if (top.other) buckets.push(toBucket(OTHER_BUCKET_KEY, top.other, metrics));
      profile.dimensionBreakdowns[name] = buckets;
      profile.dimensionKeyCounts![name] = { distinctKeys: top.distinctKeys, exact: top.exact };
      if (!top.exact) notes.push(`${name}: more than ${limits.maxTrackedKeys} distinct values; later new values are in ${OTHER_BUCKET_KEY}`);
    });
    profile.crossBreakdowns = plan.crosses.map(([first, second], index): CrossBreakdown => {
      const top = this.crosses[index].topK(limits.topK);
      const keysOf = (pairKey: number): [string, string] => [
        this.dimensions[first].keyOf(Math.floor(pairKey / this.pairStride)),
        this.dimensions[second].keyOf(pairKey % this.pairStride),
      ];
      const buckets: CrossBucket[] = top.top.map(([pairKey, bucket]) => ({
        keys: keysOf(pairKey),
        ...bucketFields(bucket, metrics),
      }));
      if (top.other) buckets.push({ keys: [OTHER_BUCKET_KEY, OTHER_BUCKET_KEY], ...bucketFields(top.other, metrics) });
      return { dimensions: [dimensions[first], dimensions[second]], buckets };
    });
    profile.dateSeries = (this.dates?.sortedByKey() ?? []).map(([date, bucket]): DateBucket => ({ date, ...bucketFields(bucket, metrics) }));
    const droppedDateRows = this.dates?.untrackedRowCount ?? 0;
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

  private readFlag(cell: unknown, column: number): boolean {
    if (isNullCell(cell)) {
      this.nullCounts[column]++;
      return false;
    }
    return isFlagSet(cell);
  }

  private dimensionKey(cell: unknown, column: number): string {
    if (isNullCell(cell)) {
      this.nullCounts[column]++;
      return NULL_BUCKET_KEY;
    }
    const kind = this.plan.kinds[column];
    let text: string | undefined;
    if (kind === 'boolean') {
      const flag = readBooleanCell(cell);
      text = flag === undefined ? undefined : String(flag);
    } else if (kind === 'array') {
      text = readArrayCell(cell);
    } else {
      text = typeof cell === 'string' && cell.length <= this.limits.maxKeyLength ? cell : readTextCell(cell, this.limits.maxKeyLength);
    }
    if (text === undefined) {
      this.invalidCounts[column]++;
      return NULL_BUCKET_KEY;
    }
    return text.length > this.limits.maxKeyLength ? readTextCell(text, this.limits.maxKeyLength) : text;
  }

  private addDate(cell: unknown, column: number, filtered: boolean): void {
    if (isNullCell(cell)) {
      this.nullCounts[column]++;
      return;
    }
    // A result has few distinct date texts: remembering them skips most re-parsing.
    let date = this.dateCache.get(cell);
    if (date === undefined && !this.dateCache.has(cell)) {
      if (this.dateCache.size >= DATE_CACHE_SIZE) this.dateCache.clear();
      date = readDateCell(cell);
      this.dateCache.set(cell, date);
    }
    if (date === undefined) {
      this.invalidCounts[column]++;
      return;
    }
    // Dates past the cap go to the untracked bucket, which the date series leaves out (and notes).
    this.dates!.add(date, this.metricValues, filtered);
  }

  private countOtherCell(cell: unknown, column: number): void {
    if (isNullCell(cell)) {
      this.nullCounts[column]++;
      return;
    }
    const kind = this.plan.kinds[column];
    if (kind === 'date' && readDateCell(cell) === undefined) this.invalidCounts[column]++;
  }
}

function toBucket(key: string, bucket: MetricAccumulator, metrics: readonly string[]): DimensionBucket {
  return { key, ...bucketFields(bucket, metrics) };
}

function bucketFields(bucket: MetricAccumulator, metrics: readonly string[]): Omit<DimensionBucket, 'key'> {
  return {
    rowCount: bucket.rowCount,
    filteredRowCount: bucket.filteredRowCount,
    totals: bucket.totals(metrics),
    ...bucket.bucketStats(metrics),
  };
}
