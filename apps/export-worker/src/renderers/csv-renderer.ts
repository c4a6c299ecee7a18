import { exportHeading, exportNumber } from '@amc-reports/metrics';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ExportDocument, ExportInputError, type RenderSummary, cellValue, isDataView, selectViews, viewColumns } from './export-document';
import { neutraliseCell, neutraliseText } from './neutralise-cell';

export interface DashboardCsvOptions {
  /** A UTF-8 byte order mark, so Excel on Windows opens non-Latin text correctly. */
  bom: boolean;
  /** Export one view as a plain table; every view as titled sections when absent. */
  viewKey?: string;
}

export interface RawCsvOptions {
  bom: boolean;
  /** Called with the data rows written so far, every `progressEvery` rows and at the end. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
}

/** RFC 4180: CRLF between records; fields quoted when they hold a comma, a quote, CR or LF. */
const RFC_4180 = {
  record_delimiter: '\r\n',
  quote_record_delimiter: true,
  cast: { boolean: (value: boolean) => (value ? 'true' : 'false') },
};

type CsvRecord = Array<string | number | boolean | null>;

/**
 * The dashboard's rows as CSV. One view: a header and its rows. Every view: a section per view
 * (a title record, the header, the rows, an empty record between sections). Text cells are
 * neutralised against formula injection; numbers are written as numbers.
 */
export async function renderDashboardCsv(doc: ExportDocument, out: Writable, options: DashboardCsvOptions): Promise<RenderSummary> {
  const views = selectViews(doc, options.viewKey).filter(isDataView);
  if (views.length === 0) {
    out.destroy();
    throw new ExportInputError(`view "${options.viewKey}" holds insights, not rows: export it as PDF, PNG or Excel`);
  }
  const sectioned = options.viewKey === undefined;
  let rowCount = 0;
  function* records(): Generator<CsvRecord> {
    for (const [index, view] of views.entries()) {
      const columns = viewColumns(view);
      if (sectioned) {
        if (index > 0) yield [];
        yield [neutraliseText(view.name)];
      }
      // Labels from the metric layer, with the unit a bare number cannot carry ("Spend (USD)", "CTR (%)").
      yield columns.map((column) => neutraliseText(exportHeading(column.label, column.format, column.currency)));
      for (const row of view.data.rows) {
        rowCount += 1;
        yield columns.map((column) => {
          const value = cellValue(row, column);
          return neutraliseCell(typeof value === 'number' ? exportNumber(value, column.format) : value);
        });
      }
    }
  }
  await pipeline(Readable.from(records()), stringify({ ...RFC_4180, bom: options.bom }), out);
  return { format: 'csv', chartCount: 0, rowCount, charts: [], sections: sectioned ? views.length : 0 };
}

/**
 * An archived execution result (CSV text with a header row) re-written row by row: parsed,
 * neutralised, stringified, with backpressure end to end, so memory stays flat whatever the size.
 * A cell that is a plain number as text ("-12.5") is kept as is. A malformed source (a row with
 * the wrong number of fields, an unclosed quote) fails the export rather than shifting columns.
 */
export async function renderRawCsv(input: Readable, out: Writable, options: RawCsvOptions): Promise<RenderSummary> {
  const progressEvery = options.progressEvery ?? 50_000;
  let records = 0;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    on_record: (record: string[]) => {
      for (let index = 0; index < record.length; index += 1) record[index] = neutraliseText(record[index]);
      records += 1;
      if (options.onProgress && records > 1 && (records - 1) % progressEvery === 0) options.onProgress(records - 1);
      return record;
    },
  });
  await pipeline(input, parser, stringify({ ...RFC_4180, bom: options.bom }), out);
  const rowCount = Math.max(0, records - 1);
  options.onProgress?.(rowCount);
  return { format: 'csv', chartCount: 0, rowCount, charts: [], sections: 0 };
}
