import type { BuiltView } from '@amc-reports/contracts/src/dashboard-view';
import type { ExportDocument } from './export-document';
import { tabularHeading } from './tabular-view';
import type { ColumnKind, ViewColumn } from './view-columns';

export interface CsvFileEntry {
  file: string;
  view: BuiltView;
  columns: ViewColumn[];
  rows: number;
}

const UNITS: Record<ColumnKind, string> = {
  count: 'count (integer)',
  currency: 'money, to the cent',
  percent: 'percent (1.23 means 1.23 %), 4 significant digits',
  ratio: 'ratio, 4 significant digits',
  number: 'number',
  date: 'date, ISO 8601 (YYYY-MM-DD)',
  text: 'text',
};

function unitOf(column: ViewColumn): string {
  return column.kind === 'currency' ? `${UNITS.currency} (${column.currency ?? 'USD'})` : UNITS[column.kind];
}

/** What manifest.json says: the same facts as the README, for a program. */
export function csvManifest(doc: ExportDocument, entries: CsvFileEntry[]) {
  return {
    report: { id: doc.report.id, name: doc.report.name, workflow: doc.report.workflowName, dashboardType: doc.report.dashboardType },
    window: { start: doc.report.timeWindowStart, end: doc.report.timeWindowEnd },
    executionId: doc.report.executionId ?? null,
    generatedAt: doc.report.generatedAt,
    files: entries.map((entry) => ({
      file: entry.file,
      view: entry.view.name,
      viewKey: entry.view.key,
      rows: entry.rows,
      columns: entry.columns.map((column) => ({ heading: tabularHeading(column), unit: unitOf(column), ...(column.metric ? { metric: column.metric } : {}) })),
      notes: entry.view.data.notes ?? [],
    })),
  };
}

/** README.txt: what a person opening the ZIP needs before the numbers. */
export function csvReadme(doc: ExportDocument, entries: CsvFileEntry[]): string {
  const lines = [
    doc.report.name,
    '='.repeat(Math.min(80, Array.from(doc.report.name).length)),
    '',
    `Workflow:      ${doc.report.workflowName}`,
    `Dashboard:     ${doc.report.dashboardType}`,
    `Time window:   ${doc.report.timeWindowStart} to ${doc.report.timeWindowEnd} (UTC)`,
    `Execution:     ${doc.report.executionId ?? 'unknown'}`,
    `Generated at:  ${doc.report.generatedAt}`,
    '',
    'One CSV per view (RFC 4180, UTF-8). Numbers are unformatted: no thousands separators, a dot',
    'for decimals; counts are integers, money is to the cent, rates have 4 significant digits,',
    'percentages are written as percent (the heading says "(%)"), dates are ISO 8601. A missing',
    'value (withheld by AMC or not computable) is an empty field, never 0. manifest.json holds the',
    'same description for programs.',
    '',
  ];
  for (const entry of entries) {
    lines.push(`${entry.file}: ${entry.view.name} (${entry.rows} ${entry.rows === 1 ? 'row' : 'rows'})`);
    for (const column of entry.columns) lines.push(`  - ${tabularHeading(column)}: ${unitOf(column)}`);
    for (const note of entry.view.data.notes ?? []) lines.push(`  Note: ${note}`);
    lines.push('');
  }
  return lines.join('\r\n');
}
