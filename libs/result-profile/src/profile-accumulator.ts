import type { ColumnKind, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { NULL_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { isFlagSet, isNullCell, readDateCell, readDimensionKey, readNumberCell } from './cell-values';
import { KeyedBuckets, UNTRACKED_KEY_ID } from './keyed-buckets';
import { MetricAccumulator } from './metric-accumulator';
import { summarizeProfile } from './profile-summary';

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

/** What reading a cell counted: nothing, a NULL cell, or a cell that did not fit its column's kind. */
export const CELL_VALUE = 0;
export const CELL_NULL = 1;
export const CELL_INVALID = 2;

/** `dateId` of a row whose date cell is NULL or invalid: the row is in no date bucket. */
export const NO_DATE_ID = -2;

/**
 * A cell's reading as one integer: a bucket id (≥ NO_DATE_ID) and what it counted. Small enough to
 * remember per distinct cell text (see CsvRecordReader).
 */
export const encodeCell = (id: number, outcome: number): number => ((id + 2) << 2) | outcome;
export const cellId = (code: number): number => (code >> 2) - 2;
export const cellOutcome = (code: number): number => code & 3;

// Distinct date texts remembered by the date parser before it starts over (bounded memory).
const DATE_CACHE_SIZE = 4096;

/**
 * Streams rows into totals, per-dimension, per-date and facet × dimension buckets.
 *
 * A row is read into `metricValues`, `dimensionIds` and `dateId` (the `read…Cell` methods say how
 * one cell is read, for every row source), then `commitRow` adds it to every bucket. `add` reads a
 * row of values (inline rows, sampled rows); CsvRecordReader reads CSV records from their bytes.
 */
export class ProfileAccumulator {
  readonly overall: MetricAccumulator;
  readonly dimensions: KeyedBuckets<string>[];
  /** Pair keys are `firstId * pairStride + secondId` (ids of the two dimensions' tracked keys). */
  readonly crosses: KeyedBuckets<number>[];
  readonly pairStride: number;
  readonly dates: KeyedBuckets<string> | null;
  readonly nullCounts: number[];
  readonly invalidCounts: number[];
  /** The row being read: NaN for a NULL or invalid metric cell. */
  readonly metricValues: Float64Array;
  readonly dimensionIds: Int32Array;
  dateId = NO_DATE_ID;
  /** Columns that are neither metric, dimension, date nor flag (a second date column). */
  readonly otherColumns: number[];
  private readonly dateCache = new Map<unknown, string | undefined>();

  constructor(
    readonly plan: ProfilePlan,
    readonly limits: ProfileLimits,
  ) {
    const metricCount = plan.metricColumns.length;
    this.overall = new MetricAccumulator(metricCount);
    this.dimensions = plan.dimensionColumns.map(() => new KeyedBuckets<string>(metricCount, limits.maxTrackedKeys));
    this.crosses = plan.crosses.map(() => new KeyedBuckets<number>(metricCount, limits.maxTrackedPairs, 'integer'));
    this.pairStride = limits.maxTrackedKeys;
    this.dates = plan.dateColumn === null ? null : new KeyedBuckets<string>(metricCount, limits.maxDates);
    this.nullCounts = plan.columns.map(() => 0);
    this.invalidCounts = plan.columns.map(() => 0);
    this.metricValues = new Float64Array(metricCount);
    this.dimensionIds = new Int32Array(plan.dimensionColumns.length);
    const used = new Set([...plan.metricColumns, ...plan.dimensionColumns, plan.dateColumn, plan.flagColumn]);
    this.otherColumns = plan.columns.map((_, index) => index).filter((index) => !used.has(index));
  }

  /** Reads and adds one row of values in column order. */
  add(values: readonly unknown[]): void {
    const { metricColumns, dimensionColumns, flagColumn, dateColumn } = this.plan;
    let everyMetricNull = true;
    for (let metric = 0; metric < metricColumns.length; metric++) {
      const column = metricColumns[metric];
      const outcome = this.readMetricCell(metric, values[column]);
      // A cell that is present but unreadable is invalid, not withheld: it does not make the row "filtered".
      if (outcome !== CELL_NULL) everyMetricNull = false;
      this.count(column, outcome);
    }
    let flagged = false;
    if (flagColumn !== null) {
      const flag = this.readFlagCell(values[flagColumn]);
      this.count(flagColumn, flag === null ? CELL_NULL : CELL_VALUE);
      flagged = flag === true;
    }
    for (let slot = 0; slot < dimensionColumns.length; slot++) {
      const code = this.readDimensionCell(slot, values[dimensionColumns[slot]]);
      this.count(dimensionColumns[slot], cellOutcome(code));
      this.dimensionIds[slot] = cellId(code);
    }
    if (dateColumn !== null) {
      const code = this.readDateCell(values[dateColumn]);
      this.count(dateColumn, cellOutcome(code));
      this.dateId = cellId(code);
    }
    for (const column of this.otherColumns) this.count(column, this.readOtherCell(column, values[column]));
    this.commitRow(flagged || (metricColumns.length > 0 && everyMetricNull));
  }

  count(column: number, outcome: number): void {
    if (outcome === CELL_NULL) this.nullCounts[column]++;
    else if (outcome === CELL_INVALID) this.invalidCounts[column]++;
  }

  /** Puts the metric's value (NaN when NULL or invalid) into `metricValues`; returns what it counted. */
  readMetricCell(metric: number, cell: unknown): number {
    if (isNullCell(cell)) {
      this.metricValues[metric] = Number.NaN;
      return CELL_NULL;
    }
    const parsed = readNumberCell(cell);
    this.metricValues[metric] = parsed ?? Number.NaN;
    return parsed === undefined ? CELL_INVALID : CELL_VALUE;
  }

  /** The `filtered` flag: null for a NULL cell. */
  readFlagCell(cell: unknown): boolean | null {
    return isNullCell(cell) ? null : isFlagSet(cell);
  }

  /** The dimension's bucket id for the cell (NULL and invalid cells go to the `__null__` key). */
  readDimensionCell(slot: number, cell: unknown): number {
    const buckets = this.dimensions[slot];
    if (isNullCell(cell)) return encodeCell(buckets.idFor(NULL_BUCKET_KEY), CELL_NULL);
    const key = readDimensionKey(cell, this.plan.kinds[this.plan.dimensionColumns[slot]], this.limits.maxKeyLength);
    if (key === undefined) return encodeCell(buckets.idFor(NULL_BUCKET_KEY), CELL_INVALID);
    return encodeCell(buckets.idFor(key), CELL_VALUE);
  }

  /** The date bucket id for the cell; NO_DATE_ID when it is NULL or not a date. */
  readDateCell(cell: unknown): number {
    if (isNullCell(cell)) return encodeCell(NO_DATE_ID, CELL_NULL);
    // A result has few distinct date texts: remembering them skips most re-parsing.
    let date = this.dateCache.get(cell);
    if (date === undefined && !this.dateCache.has(cell)) {
      if (this.dateCache.size >= DATE_CACHE_SIZE) this.dateCache.clear();
      date = readDateCell(cell);
      this.dateCache.set(cell, date);
    }
    if (date === undefined) return encodeCell(NO_DATE_ID, CELL_INVALID);
    // Dates past the cap go to the untracked bucket, which the date series leaves out (and notes).
    return encodeCell(this.dates!.idFor(date), CELL_VALUE);
  }

  /** Other columns are only counted: NULL cells, and cells of a date column that are not dates. */
  readOtherCell(column: number, cell: unknown): number {
    if (isNullCell(cell)) return CELL_NULL;
    return this.plan.kinds[column] === 'date' && readDateCell(cell) === undefined ? CELL_INVALID : CELL_VALUE;
  }

  /** Adds the row read into `metricValues`, `dimensionIds` and `dateId` to every bucket. */
  commitRow(filtered: boolean): void {
    const { metricValues, dimensionIds } = this;
    this.overall.add(metricValues, filtered);
    for (let slot = 0; slot < this.dimensions.length; slot++) this.dimensions[slot].addAt(dimensionIds[slot], metricValues, filtered);
    const crosses = this.plan.crosses;
    for (let index = 0; index < crosses.length; index++) {
      const firstId = dimensionIds[crosses[index][0]];
      const secondId = dimensionIds[crosses[index][1]];
      if (firstId === UNTRACKED_KEY_ID || secondId === UNTRACKED_KEY_ID) this.crosses[index].addUntracked(metricValues, filtered);
      else this.crosses[index].add(firstId * this.pairStride + secondId, metricValues, filtered);
    }
    if (this.dates !== null && this.dateId !== NO_DATE_ID) this.dates.addAt(this.dateId, metricValues, filtered);
  }

  toProfile(rowCount: number): ResultProfile {
    return summarizeProfile(this, rowCount);
  }
}
