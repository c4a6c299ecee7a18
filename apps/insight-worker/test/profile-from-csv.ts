/**
 * Test helper: sums small sample CSVs into a ResultProfile by hand, so the insight tests do not
 * depend on the report-service's profiler. Handles what the samples hold: a header row, quoted
 * fields, numbers, and AMC's `filtered` flag (withheld rows are counted, never summed).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CrossBreakdown, CrossBucket, DimensionBucket, ResultProfile } from '@amc-reports/contracts/src/result-profile';
import type { ExecutionProfile } from '../src/findings/finding';

export const HISTORY_FIXTURES = join(__dirname, 'fixtures', 'history');

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(field), (field = '');
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += char;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows.filter((cells) => cells.some((cell) => cell !== ''));
}

const NUMBER = /^-?\d+(\.\d+)?$/;

export function profileFromRows(header: string[], rows: string[][]): ResultProfile {
  const filteredIndex = header.indexOf('filtered');
  const isWithheld = (row: string[]) => filteredIndex >= 0 && row[filteredIndex] === 'true';
  const numeric = header.map((_, column) => {
    const values = rows.map((row) => row[column]).filter((value) => value !== '' && value !== undefined);
    return values.length > 0 && values.every((value) => NUMBER.test(value));
  });
  const metrics = header.filter((_, column) => numeric[column] && column !== filteredIndex);
  const dimensions = header.filter((_, column) => !numeric[column] && column !== filteredIndex);
  const sumInto = (totals: Record<string, number>, row: string[]) => {
    for (const metric of metrics) {
      const cell = row[header.indexOf(metric)];
      if (cell !== '' && cell !== undefined) totals[metric] = (totals[metric] ?? 0) + Number(cell);
    }
  };
  const totals: Record<string, number> = {};
  const breakdowns: Record<string, Map<string, DimensionBucket>> = {};
  for (const dimension of dimensions) breakdowns[dimension] = new Map();
  for (const row of rows) {
    const withheld = isWithheld(row);
    if (!withheld) sumInto(totals, row);
    for (const dimension of dimensions) {
      const key = row[header.indexOf(dimension)];
      const bucket = breakdowns[dimension].get(key) ?? { key, rowCount: 0, filteredRowCount: 0, totals: {} };
      bucket.rowCount++;
      if (withheld) bucket.filteredRowCount++;
      else sumInto(bucket.totals, row);
      breakdowns[dimension].set(key, bucket);
    }
  }
  // Facet × dimension breakdowns as the profiler makes them: pairs where one side has at most 50 keys.
  const facet = (dimension: string) => breakdowns[dimension].size <= 50;
  const crossBreakdowns: CrossBreakdown[] = [];
  for (let first = 0; first < dimensions.length; first++) {
    for (let second = first + 1; second < dimensions.length; second++) {
      const pair: [string, string] = [dimensions[first], dimensions[second]];
      if (!facet(pair[0]) && !facet(pair[1])) continue;
      const buckets = new Map<string, CrossBucket>();
      for (const row of rows) {
        const keys: [string, string] = [row[header.indexOf(pair[0])], row[header.indexOf(pair[1])]];
        const bucket = buckets.get(JSON.stringify(keys)) ?? { keys, rowCount: 0, filteredRowCount: 0, totals: {} };
        bucket.rowCount++;
        if (isWithheld(row)) bucket.filteredRowCount++;
        else sumInto(bucket.totals, row);
        buckets.set(JSON.stringify(keys), bucket);
      }
      crossBreakdowns.push({ dimensions: pair, buckets: [...buckets.values()] });
    }
  }
  return {
    version: 1,
    rowCount: rows.length,
    filteredRowCount: rows.filter(isWithheld).length,
    columns: header.map((name, column) => ({
      name,
      kind: column === filteredIndex ? 'boolean' : numeric[column] ? 'number' : 'string',
      nullCount: rows.filter((row) => row[column] === '' || row[column] === undefined).length,
    })),
    metrics,
    dimensions,
    dateColumn: null,
    totals,
    dimensionBreakdowns: Object.fromEntries(
      dimensions.map((dimension) => [
        dimension,
        [...breakdowns[dimension].values()].sort((a, b) => b.rowCount - a.rowCount || a.key.localeCompare(b.key)),
      ]),
    ),
    dateSeries: [],
    crossBreakdowns,
  };
}

export function profileFromCsv(text: string): ResultProfile {
  const [header, ...rows] = parseCsv(text);
  return profileFromRows(header, rows);
}

/** The 8 weekly funnel executions, oldest first: ids `exec-week-01` … `exec-week-08`, weeks from 2026-09-07. */
export function loadWeeklyHistory(): ExecutionProfile[] {
  const files = readdirSync(HISTORY_FIXTURES)
    .filter((name) => name.endsWith('.csv'))
    .sort();
  return files.map((file, index) => weeklyExecution(index + 1, profileFromCsv(readFileSync(join(HISTORY_FIXTURES, file), 'utf8'))));
}

export function weeklyExecution(week: number, profile: ResultProfile): ExecutionProfile {
  const start = new Date(Date.UTC(2026, 8, 7 + 7 * (week - 1)));
  const end = new Date(start.getTime() + 7 * 86_400_000 - 1000);
  return {
    executionId: `exec-week-${String(week).padStart(2, '0')}`,
    timeWindowStart: start.toISOString(),
    timeWindowEnd: end.toISOString(),
    profile,
  };
}
