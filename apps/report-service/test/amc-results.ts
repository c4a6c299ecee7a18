import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

// The sample results the profiler is tested on (libs/result-profile), played here as AMC events.
export const FIXTURES = path.join(__dirname, '..', '..', '..', 'libs', 'result-profile', 'test', 'fixtures');

/** A fixture CSV as the inline `{columns, rows}` an AMC event carries (numbers as numbers). */
export function inlineResult(file: string): { format: 'rows'; columns: string[]; rows: (string | number | boolean | null)[][] } {
  const [columns, ...rows] = parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'), { bom: true }) as string[][];
  return {
    format: 'rows',
    columns,
    rows: rows.map((row) => row.map((cell) => {
      if (cell === '') return null;
      if (cell === 'true' || cell === 'false') return cell === 'true';
      return /^-?\d+(\.\d+)?$/.test(cell) && !/^0\d/.test(cell) ? Number(cell) : cell;
    })),
  };
}

export function weekWindow(week: number): { start: string; end: string; timeZone: string } {
  const start = new Date(Date.UTC(2026, 8, 7 + (week - 1) * 7));
  const end = new Date(start.getTime() + 7 * 86_400_000 - 1_000);
  return { start: start.toISOString(), end: end.toISOString(), timeZone: 'America/New_York' };
}
