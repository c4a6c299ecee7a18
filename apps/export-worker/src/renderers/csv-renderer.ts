import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { zipSync } from 'fflate';
import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ExportDocument, ExportInputError, type RenderSummary, isDataView, selectViews } from './export-document';
import { csvReadme, csvManifest, type CsvFileEntry } from './csv-readme';
import { neutraliseCell, neutraliseText } from './neutralise-cell';
import { plainCell, tabularHeading, tabularView } from './tabular-view';

export interface DashboardCsvOptions {
  /** A UTF-8 byte order mark, so Excel on Windows opens non-Latin text correctly (on unless asked otherwise). */
  bom: boolean;
  /** Export one view as one table; the whole dashboard as a ZIP of one CSV per view when absent. */
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
 * A view as one RFC 4180 table: a header of reader labels with their units, then its rows with
 * numbers unformatted at their natural precision and dates in ISO 8601. Text cells are
 * neutralised against formula injection; numbers are written as numbers.
 */
function* viewRecords(view: BuiltView): Generator<CsvRecord> {
  const table = tabularView(view);
  yield table.columns.map((column) => neutraliseText(tabularHeading(column)));
  for (const row of table.rows) yield table.columns.map((column) => neutraliseCell(plainCell(row, column)));
}

/**
 * One view: its table. The whole dashboard: a ZIP holding one CSV per data view, a README.txt a
 * person reads first (report, window, execution, generation time, what each file holds and its
 * units) and the same as manifest.json for a program. Each file opens as one table anywhere.
 */
export async function renderDashboardCsv(doc: ExportDocument, out: Writable, options: DashboardCsvOptions): Promise<RenderSummary> {
  const views = selectViews(doc, options.viewKey).filter(isDataView);
  if (views.length === 0) {
    out.destroy();
    throw new ExportInputError(`view "${options.viewKey}" holds insights, not rows: export it as PDF, PNG or Excel`);
  }
  if (options.viewKey !== undefined) {
    const [view] = views;
    await pipeline(Readable.from(viewRecords(view)), stringify({ ...RFC_4180, bom: options.bom }), out);
    return { format: 'csv', chartCount: 0, rowCount: view.data.rows.length, charts: [], sections: 0 };
  }
  const files: Record<string, Uint8Array> = {};
  const entries: CsvFileEntry[] = [];
  const used = new Set<string>();
  const bom = options.bom ? '\ufeff' : '';
  views.forEach((view, index) => {
    const name = csvFileName(index, view, used);
    const records = [...viewRecords(view)];
    files[name] = Buffer.from(bom + stringifySync(records, RFC_4180), 'utf8');
    entries.push({ file: name, view, columns: tabularView(view).columns, rows: view.data.rows.length });
  });
  files['README.txt'] = Buffer.from(csvReadme(doc, entries), 'utf8');
  files['manifest.json'] = Buffer.from(`${JSON.stringify(csvManifest(doc, entries), null, 2)}\n`, 'utf8');
  const zip = zipSync(files, { level: 6, mtime: new Date(doc.report.generatedAt) });
  await pipeline(Readable.from([Buffer.from(zip)]), out);
  const rowCount = entries.reduce((sum, entry) => sum + entry.rows, 0);
  return { format: 'csv', chartCount: 0, rowCount, charts: [], sections: 0, files: entries.map((entry) => ({ name: entry.file, rows: entry.rows })) };
}

/** "01-key-metrics.csv": ordered like the dashboard, ASCII (any unzip tool reads it), unique. */
export function csvFileName(index: number, view: BuiltView, used: Set<string>): string {
  const slug = view.name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60)
    || view.key.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  let name = `${String(index + 1).padStart(2, '0')}-${slug}.csv`;
  for (let copy = 2; used.has(name); copy += 1) name = `${String(index + 1).padStart(2, '0')}-${slug}-${copy}.csv`;
  used.add(name);
  return name;
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
