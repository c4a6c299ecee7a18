import type { Readable } from 'node:stream';
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { CsvScanError, CsvScanner, type CsvRecordView } from './csv-scanner';
import { ResultProfileBuilder, type ResultProfileOptions } from './result-profile-builder';
import { UnusableResultError } from './unusable-result.error';

export interface ProfileCsvOptions extends ResultProfileOptions {
  /**
   * Largest record (row) the parser buffers, in bytes. Bounds memory when a quote is never closed
   * (the parser would otherwise read the rest of the file into one field). Default 1 MiB.
   */
  maxRecordBytes?: number;
}

const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Profiles an AMC CSV result (header row first) in one streaming pass with bounded memory.
 * RFC 4180 quoting (embedded commas, quotes, newlines), a UTF-8 BOM and blank lines are accepted
 * (see CsvScanner); a row with a different number of fields than the header is an error, never
 * padded. Errors the user can act on are `UnusableResultError`s; an error of the input stream
 * itself (a dropped download) is rethrown as is, so the job retries.
 */
export async function profileCsvStream(input: Readable, options: ProfileCsvOptions = {}): Promise<ResultProfile> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  let builder: ResultProfileBuilder | null = null;
  let dataRows = 0;
  const scanner = new CsvScanner((record: CsvRecordView) => {
    if (builder === null) {
      builder = new ResultProfileBuilder(record.texts(), options);
      return;
    }
    dataRows++;
    if (record.count !== builder.columnCount) {
      throw new UnusableResultError(
        'ragged_row',
        `ragged row ${dataRows} (line ${record.line}): ${record.count} fields where the header has ${builder.columnCount}`,
      );
    }
    builder.addCsvRecord(record);
  }, maxRecordBytes);
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      scanner.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    }
    scanner.end();
  } catch (error) {
    throw error instanceof CsvScanError ? toUnusableResultError(error, maxRecordBytes) : error;
  }
  // A local `let` assigned in a callback: TypeScript cannot see that it may have changed.
  const profiled = builder as ResultProfileBuilder | null;
  if (profiled === null) throw new UnusableResultError('no_header', 'the result is empty: no header row');
  return profiled.finish();
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

function toUnusableResultError(error: CsvScanError, maxRecordBytes: number): UnusableResultError {
  switch (error.code) {
    case 'unclosed_quote':
      return new UnusableResultError('csv_syntax', `a quoted field is never closed: the file ends inside the quote opened at line ${error.line}`);
    case 'record_too_large':
      return new UnusableResultError(
        'record_too_large',
        `the row at line ${error.line} is larger than ${maxRecordBytes} bytes (is a quote never closed?)`,
      );
    case 'invalid_closing_quote':
    case 'invalid_opening_quote':
      return new UnusableResultError('csv_syntax', `malformed quoting at line ${error.line}: a quote inside a field must be doubled ("")`);
  }
}
