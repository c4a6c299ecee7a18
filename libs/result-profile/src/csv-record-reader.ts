import { ByteKeyCache, CACHE_MISS } from './byte-key-cache';
import type { CsvRecordView } from './csv-scanner';
import { CELL_NULL, CELL_VALUE, cellId, cellOutcome, type ProfileAccumulator } from './profile-accumulator';

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;

// A mantissa of at most 15 digits is an exact double, and so is 10^k for k ≤ 22.
const MAX_FAST_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: MAX_FAST_DIGITS + 1 }, (_, power) => 10 ** power);

/**
 * A plain decimal (`-12`, `690.0`, `.5`, `5.`) of at most 15 digits, read from its bytes; NaN for
 * anything else (exponents, blanks, NULL, text), which the caller reads the general way.
 *
 * Exactly `Number(text)`: the digits form an integer below 2^53 and 10^k is exact, so the one
 * IEEE division rounds correctly, as the string conversion does.
 */
export function readPlainDecimal(buffer: Buffer, start: number, end: number): number {
  let index = start;
  const sign = buffer[index];
  if (sign === MINUS || sign === PLUS) index++;
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; index < end; index++) {
    const digit = buffer[index] - ZERO;
    if (digit >= 0 && digit <= 9) {
      mantissa = mantissa * 10 + digit;
      digits++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (buffer[index] === DOT && fractionDigits < 0) {
      fractionDigits = 0;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > MAX_FAST_DIGITS) return Number.NaN;
  const value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : mantissa;
  return sign === MINUS ? -value : value;
}

/**
 * Reads CSV records into a ProfileAccumulator straight from the scanner's bytes: plain decimals
 * are parsed in place, and each dimension / date / other column remembers what its distinct cell
 * texts read as (ByteKeyCache), so a repeated value costs a hash, not a string, a regex and a Map
 * lookup. Anything unusual (exponents, blanks, NULL spelled out) goes through the accumulator's
 * own `read…Cell` methods on the decoded text, so both row sources read every cell alike.
 */
export class CsvRecordReader {
  private readonly dimensionCaches: ByteKeyCache[];
  private readonly dateCache = new ByteKeyCache();
  private readonly otherCaches: ByteKeyCache[];

  constructor(private readonly accumulator: ProfileAccumulator) {
    this.dimensionCaches = accumulator.plan.dimensionColumns.map(() => new ByteKeyCache());
    this.otherCaches = accumulator.otherColumns.map(() => new ByteKeyCache());
  }

  add(record: CsvRecordView): void {
    const accumulator = this.accumulator;
    const { metricColumns, dimensionColumns, flagColumn, dateColumn } = accumulator.plan;
    const { buffer, starts, ends, escaped } = record;
    const metricValues = accumulator.metricValues;
    let everyMetricNull = true;
    for (let metric = 0; metric < metricColumns.length; metric++) {
      const column = metricColumns[metric];
      const start = starts[column];
      const end = ends[column];
      if (start === end) {
        metricValues[metric] = Number.NaN;
        accumulator.nullCounts[column]++;
        continue;
      }
      const value = escaped[column] === 1 ? Number.NaN : readPlainDecimal(buffer, start, end);
      if (value === value) {
        metricValues[metric] = value;
        everyMetricNull = false;
        continue;
      }
      const outcome = accumulator.readMetricCell(metric, record.text(column));
      if (outcome !== CELL_NULL) everyMetricNull = false;
      accumulator.count(column, outcome);
    }
    const flagged = flagColumn !== null && this.readFlag(record, flagColumn);
    for (let slot = 0; slot < dimensionColumns.length; slot++) {
      const column = dimensionColumns[slot];
      const cache = this.dimensionCaches[slot];
      let code = cache.get(buffer, starts[column], ends[column]);
      if (code === CACHE_MISS) {
        code = accumulator.readDimensionCell(slot, record.text(column));
        cache.set(buffer, starts[column], ends[column], code);
      }
      accumulator.count(column, cellOutcome(code));
      accumulator.dimensionIds[slot] = cellId(code);
    }
    if (dateColumn !== null) {
      let code = this.dateCache.get(buffer, starts[dateColumn], ends[dateColumn]);
      if (code === CACHE_MISS) {
        code = accumulator.readDateCell(record.text(dateColumn));
        this.dateCache.set(buffer, starts[dateColumn], ends[dateColumn], code);
      }
      accumulator.count(dateColumn, cellOutcome(code));
      accumulator.dateId = cellId(code);
    }
    const otherColumns = accumulator.otherColumns;
    for (let index = 0; index < otherColumns.length; index++) {
      const column = otherColumns[index];
      const cache = this.otherCaches[index];
      let outcome = cache.get(buffer, starts[column], ends[column]);
      if (outcome === CACHE_MISS) {
        outcome = accumulator.readOtherCell(column, record.text(column));
        cache.set(buffer, starts[column], ends[column], outcome);
      }
      accumulator.count(column, outcome);
    }
    accumulator.commitRow(flagged || (metricColumns.length > 0 && everyMetricNull));
  }

  /** `true` / `false` as AMC writes them, read in place; anything else the general way. */
  private readFlag(record: CsvRecordView, column: number): boolean {
    const { buffer } = record;
    const start = record.starts[column];
    const length = record.ends[column] - start;
    if (length === 4 && buffer[start] === 0x74 && buffer[start + 1] === 0x72 && buffer[start + 2] === 0x75 && buffer[start + 3] === 0x65) return true;
    if (length === 5 && buffer[start] === 0x66 && buffer[start + 1] === 0x61 && buffer[start + 2] === 0x6c && buffer[start + 3] === 0x73 && buffer[start + 4] === 0x65) {
      return false;
    }
    const flag = this.accumulator.readFlagCell(record.text(column));
    this.accumulator.count(column, flag === null ? CELL_NULL : CELL_VALUE);
    return flag === true;
  }
}
