/**
 * Test helper: the profile as the report-service computed it before the byte scanner — csv-parse
 * (the options it used) turning the result into arrays of strings, fed row by row to the builder's
 * value path. The differential spec holds the byte path to it.
 */
import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { parse } from 'csv-parse/sync';
import { ResultProfileBuilder, type ResultProfileOptions } from '../result-profile-builder';
import { UnusableResultError } from '../unusable-result.error';

/** A profile, or the reason (UnusableResultError reasons) the result was refused. */
export type ProfileOutcome = { profile: ResultProfile } | { refused: string };

const CSV_PARSE_REASONS: Record<string, string> = {
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'ragged_row',
  CSV_QUOTE_NOT_CLOSED: 'csv_syntax',
  CSV_INVALID_CLOSING_QUOTE: 'csv_syntax',
  INVALID_OPENING_QUOTE: 'csv_syntax',
  CSV_MAX_RECORD_SIZE: 'record_too_large',
};

export function profileWithCsvParse(bytes: Buffer, options: ResultProfileOptions = {}): ProfileOutcome {
  try {
    const records: string[][] = parse(bytes, { bom: true, relax_column_count: false, skip_empty_lines: true, max_record_size: 1024 * 1024 });
    if (records.length === 0) return { refused: 'no_header' };
    const builder = new ResultProfileBuilder(records[0], options);
    for (const record of records.slice(1)) builder.addRow(record);
    return { profile: builder.finish() };
  } catch (error) {
    if (error instanceof UnusableResultError) return { refused: error.reason };
    // csv-parse/sync has its own copy of the CsvError class: recognise it by its code.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code in CSV_PARSE_REASONS) return { refused: CSV_PARSE_REASONS[code] };
    throw error;
  }
}
