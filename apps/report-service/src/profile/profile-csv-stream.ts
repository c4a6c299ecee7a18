import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { CsvError, parse } from 'csv-parse';
import { ResultProfileBuilder, type ResultProfileOptions } from './result-profile-builder';
import { UnusableResultError } from './unusable-result.error';

export interface ProfileCsvOptions extends ResultProfileOptions {
  /**
   * Largest field the parser buffers, in bytes. Bounds memory when a quote is never closed (the
   * parser would otherwise read the rest of the file into one field). Default 1 MiB.
   */
  maxFieldBytes?: number;
}

/**
 * Profiles an AMC CSV result (header row first) in one streaming pass with bounded memory.
 * RFC 4180 quoting (embedded commas, quotes, newlines), a UTF-8 BOM and blank lines are accepted;
 * a row with a different number of fields than the header is an error, never padded. Errors the
 * user can act on are `UnusableResultError`s; an error of the input stream itself (a dropped
 * download) is rethrown as is, so the job retries.
 */
export async function profileCsvStream(input: Readable, options: ProfileCsvOptions = {}): Promise<ResultProfile> {
  const parser = parse({
    bom: true,
    relax_column_count: false,
    skip_empty_lines: true,
    max_record_size: options.maxFieldBytes ?? 1024 * 1024,
  });
  const state: { builder: ResultProfileBuilder | null; rejected?: UnusableResultError } = { builder: null };
  try {
    await pipeline(input, parser, async (records: AsyncIterable<string[]>) => {
      try {
        for await (const record of records) {
          if (state.builder === null) state.builder = new ResultProfileBuilder(record, options);
          else state.builder.addRow(record);
        }
      } catch (error) {
        if (error instanceof UnusableResultError) state.rejected = error;
        throw error;
      }
    });
  } catch (error) {
    // Leaving the loop by a throw destroys the parser, and pipeline may then report its own
    // AbortError or "Premature close" instead: the builder's reason is the one a person can act on.
    if (state.rejected) throw state.rejected;
    throw error instanceof CsvError ? toUnusableResultError(error, options) : error;
  }
  if (state.builder === null) throw new UnusableResultError('no_header', 'the result is empty: no header row');
  return state.builder.finish();
}

/** Profiles an inline result (`{columns, rows}` of the AMC event): numbers, strings, booleans, null. */
export function profileInlineRows(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: ResultProfileOptions = {},
): ResultProfile {
  const builder = new ResultProfileBuilder(columns, options);
  for (const row of rows) {
    if (!Array.isArray(row)) throw new UnusableResultError('ragged_row', `row ${rows.indexOf(row) + 1} is not an array of values`);
    builder.addRow(row);
  }
  return builder.finish();
}

function toUnusableResultError(error: CsvError, options: ProfileCsvOptions): UnusableResultError {
  const line = typeof error.lines === 'number' ? error.lines : undefined;
  const at = line === undefined ? '' : ` at line ${line}`;
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      // `records` counts the header and the rows already read: the ragged one is data row `records`.
      const dataRow = typeof error.records === 'number' ? error.records : undefined;
      const fields = Array.isArray(error.record) ? error.record.length : undefined;
      const expected = /expect (\d+)/.exec(error.message)?.[1];
      return new UnusableResultError(
        'ragged_row',
        `ragged row ${dataRow ?? '?'}${line === undefined ? '' : ` (line ${line})`}: ${fields ?? '?'} fields where the header has ${expected ?? '?'}`,
      );
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new UnusableResultError(
        'csv_syntax',
        `a quoted field is never closed: the file ends inside quotes${line === undefined ? '' : ` (line ${line})`}`,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new UnusableResultError(
        'record_too_large',
        `a field${at} is larger than ${options.maxFieldBytes ?? 1024 * 1024} bytes (is a quote never closed?)`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new UnusableResultError('csv_syntax', `malformed quoting${at}: a quote inside a field must be doubled ("")`);
    default:
      return new UnusableResultError('csv_syntax', `the result is not valid CSV${at}: ${error.message}`);
  }
}
