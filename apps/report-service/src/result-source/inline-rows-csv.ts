/**
 * The CSV archive of an inline result (`{columns, rows}` of the AMC event), byte for byte what
 * csv-stringify's `stringify([columns, ...rows])` writes with its defaults (RFC 4180 quoting of a
 * field holding `"`, `,`, CR or LF; `"` doubled; LF after every record; numbers as JavaScript
 * prints them, true as 1 and false as empty, objects and arrays as JSON, null as empty), without
 * its per-field option handling: that was 2 ms of the report service's CPU per 200-row result.
 * inline-rows-csv.spec.ts holds it to csv-stringify on hostile values.
 */
export function inlineRowsCsv(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines: string[] = new Array(rows.length + 2);
  lines[0] = recordOf(columns);
  for (let index = 0; index < rows.length; index++) lines[index + 1] = recordOf(rows[index]);
  lines[rows.length + 1] = '';
  return lines.join('\n');
}

function recordOf(fields: readonly unknown[]): string {
  let record = '';
  for (let index = 0; index < fields.length; index++) {
    if (index > 0) record += ',';
    record += fieldOf(fields[index]);
  }
  return record;
}

const NEEDS_QUOTES = /[",\r\n]/;

function fieldOf(value: unknown): string {
  let text: string;
  switch (typeof value) {
    case 'string':
      text = value;
      break;
    case 'number':
    case 'bigint':
      return String(value); // never holds a quote, comma or line break
    case 'boolean':
      return value ? '1' : '';
    case 'object':
      if (value === null) return '';
      text = value instanceof Date ? String(value.getTime()) : JSON.stringify(value);
      break;
    default:
      return '';
  }
  if (!NEEDS_QUOTES.test(text)) return text;
  return `"${text.replaceAll('"', '""')}"`;
}
