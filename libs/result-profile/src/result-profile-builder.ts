import type { ColumnKind, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { DIMENSION_TOP_K, NULL_BUCKET_KEY } from '@amc-reports/contracts/src/result-profile';
import { isNullCell, readTextCell } from './cell-values';
import { CsvRecordReader } from './csv-record-reader';
import type { CsvRecordView } from './csv-scanner';
import { ProfileAccumulator, type ProfileLimits, type ProfilePlan } from './profile-accumulator';
import { isFilteredFlagName, sniffCellKind, sniffColumnKinds } from './sniff-column-kinds';
import { UnusableResultError } from './unusable-result.error';

export interface ResultProfileOptions {
  /** Keys kept per dimension (the rest is folded into `__other__`). Default DIMENSION_TOP_K (1000). */
  topK?: number;
  /** Distinct keys tracked exactly per dimension before new keys go to `__other__`. Default 10 × topK. */
  maxTrackedKeys?: number;
  /** Distinct pairs tracked per facet × dimension breakdown. Default 2 × topK. */
  maxTrackedPairs?: number;
  /** Rows buffered to decide column kinds before streaming. Default 1000. */
  sampleSize?: number;
  /** Dimension values longer than this are cut (bounded memory). Default 1000 characters. */
  maxKeyLength?: number;
  /** A dimension with at most this many distinct values in the sample is a facet (crossed with the others). Default 50. */
  facetMaxKeys?: number;
  /** At most this many facet × dimension breakdowns. Default 16. */
  maxCrosses?: number;
  /** Distinct dates kept in the date series. Default 10,000 (27 years of days). */
  maxDates?: number;
}

interface ResolvedOptions extends ProfileLimits {
  sampleSize: number;
  facetMaxKeys: number;
  maxCrosses: number;
}

function resolveOptions(options: ResultProfileOptions): ResolvedOptions {
  const topK = options.topK ?? DIMENSION_TOP_K;
  return {
    topK,
    maxTrackedKeys: Math.max(topK, options.maxTrackedKeys ?? topK * 10),
    maxTrackedPairs: Math.max(topK, options.maxTrackedPairs ?? topK * 2),
    sampleSize: Math.max(1, options.sampleSize ?? 1000),
    maxKeyLength: options.maxKeyLength ?? 1000,
    facetMaxKeys: options.facetMaxKeys ?? 50,
    maxCrosses: options.maxCrosses ?? 16,
    maxDates: options.maxDates ?? 10_000,
  };
}

/**
 * Builds the result profile (DESIGN §6) from rows fed one at a time, in bounded memory.
 *
 * The first `sampleSize` rows are buffered to decide each column's kind (number / date / string /
 * array / boolean); then they are replayed and every later row streams straight into fixed-size
 * accumulators. A later cell that does not fit its column's kind (text in a number column) is read
 * as NULL and counted in the column's `invalidCount`: the kind is never revised mid-stream, which
 * would make earlier sums wrong.
 *
 * Withheld rows (AMC privacy thresholds): a `filtered` column that is true, or a row whose metric
 * cells are all NULL. They count in `rowCount` and `filteredRowCount` (overall, per dimension key
 * and per date) and are never summed, so a withheld campaign shows as withheld, not as zero.
 */
export class ResultProfileBuilder {
  private readonly columns: string[];
  private readonly options: ResolvedOptions;
  private sample: unknown[][] = [];
  private accumulator: ProfileAccumulator | null = null;
  private csvReader: CsvRecordReader | null = null;
  private rowCount = 0;
  private finished = false;

  constructor(header: readonly unknown[], options: ResultProfileOptions = {}) {
    this.columns = readHeader(header);
    this.options = resolveOptions(options);
  }

  addRow(values: readonly unknown[]): void {
    if (this.finished) throw new Error('ResultProfileBuilder.addRow() after finish()');
    this.rowCount++;
    if (values.length !== this.columns.length) {
      throw new UnusableResultError(
        'ragged_row',
        `ragged row ${this.rowCount}: ${values.length} values where the header has ${this.columns.length} columns`,
      );
    }
    if (this.accumulator) {
      this.accumulator.add(values);
      return;
    }
    this.sample.push([...values]);
    if (this.sample.length >= this.options.sampleSize) this.startStreaming();
  }

  /**
   * Adds a CSV record (valid only during the call) whose field count the caller has checked
   * against the header. Sampled records are decoded to text; later ones are read from their bytes.
   */
  addCsvRecord(record: CsvRecordView): void {
    if (this.accumulator === null) {
      this.addRow(record.texts());
      return;
    }
    if (this.finished) throw new Error('ResultProfileBuilder.addCsvRecord() after finish()');
    this.rowCount++;
    this.csvReader ??= new CsvRecordReader(this.accumulator);
    this.csvReader.add(record);
  }

  get columnCount(): number {
    return this.columns.length;
  }

  finish(): ResultProfile {
    if (this.finished) throw new Error('ResultProfileBuilder.finish() called twice');
    if (!this.accumulator) this.startStreaming();
    this.finished = true;
    return this.accumulator!.toProfile(this.rowCount);
  }

  private startStreaming(): void {
    const plan = planProfile(this.columns, this.sample, this.options);
    this.accumulator = new ProfileAccumulator(plan, this.options);
    for (const row of this.sample) this.accumulator.add(row);
    this.sample = [];
  }
}

/** Column names from the header row: trimmed, BOM-free, unique; the header must not be data. */
function readHeader(header: readonly unknown[]): string[] {
  if (header.length === 0 || header.every((cell) => isNullCell(cell))) {
    throw new UnusableResultError('no_header', 'the result has no header row');
  }
  const looksLikeData = header.every((cell) => !isNullCell(cell) && ['number', 'date'].includes(sniffCellKind(cell)));
  if (looksLikeData) {
    const preview = header.slice(0, 3).map((cell) => readTextCell(cell, 40)).join(', ');
    throw new UnusableResultError('no_header', `the result has no header row: its first row holds values (${preview}), not column names`);
  }
  const names = header.map((cell, index) => {
    const name = (typeof cell === 'string' ? cell : String(cell ?? '')).replace(/^\uFEFF/, '').trim();
    return name === '' ? `column_${index + 1}` : name;
  });
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UnusableResultError('duplicate_column', `column "${name}" appears twice in the header row`);
    seen.add(name);
  }
  return names;
}

/** Roles of the columns and the facet × dimension pairs, from the sampled rows. */
export function planProfile(columns: string[], sample: readonly unknown[][], options: ResolvedOptions): ProfilePlan {
  const kinds: ColumnKind[] = sniffColumnKinds(columns, sample);
  const flagColumn = columns.findIndex((name) => isFilteredFlagName(name));
  const metricColumns: number[] = [];
  const dimensionColumns: number[] = [];
  let dateColumn: number | null = null;
  kinds.forEach((kind, index) => {
    if (index === flagColumn) return;
    if (kind === 'number') metricColumns.push(index);
    else if (kind === 'date') dateColumn ??= index;
    else dimensionColumns.push(index);
  });

  // Facets: dimensions with few distinct values in the sample (touch model, ad product, segment).
  const isFacet = dimensionColumns.map((column) => {
    const distinct = new Set<string>();
    for (const row of sample) {
      distinct.add(isNullCell(row[column]) ? NULL_BUCKET_KEY : readTextCell(row[column], options.maxKeyLength));
      if (distinct.size > options.facetMaxKeys) return false;
    }
    return distinct.size > 0;
  });
  const crosses: Array<[number, number]> = [];
  for (let first = 0; first < dimensionColumns.length; first++) {
    for (let second = first + 1; second < dimensionColumns.length; second++) {
      if ((isFacet[first] || isFacet[second]) && crosses.length < options.maxCrosses) crosses.push([first, second]);
    }
  }
  return {
    columns,
    kinds,
    metricColumns,
    dimensionColumns,
    dateColumn,
    flagColumn: flagColumn === -1 ? null : flagColumn,
    crosses,
  };
}
