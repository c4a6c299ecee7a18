import { stringify } from 'csv-stringify/sync';
import { inlineRowsCsv } from './inline-rows-csv';

const hostile: unknown[] = [
  'plain', '', ' leading and trailing ', 'a,b', 'say "hi"', '"', '""', 'line\nbreak', 'carriage\rreturn', 'crlf\r\n', ',', '\n',
  '=SUM(A1:A2)', '-1', '+1', '@handle', '\tTab', 'ünïcödé 東京 🚀', '[1,2,3]', '{"a":"b"}', 'back\\slash', '\u2028', '\u001e',
  0, -0, 1, -1, 0.1 + 0.2, 1e21, 1e-7, 123456789.123, Number.MAX_SAFE_INTEGER, 9530.250000000002,
  true, false, null, undefined, [1, 'two', null], ['a,b', 'say "x"'], { key: 'value, "quoted"' }, {}, [],
  new Date(Date.UTC(2026, 9, 1)),
];

/** A seeded generator: the same rows every run. */
function generated(count: number): unknown[][] {
  let state = 20261202;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
    const pick = next();
    if (pick < 0.4) return hostile[Math.floor(next() * hostile.length)];
    if (pick < 0.7) return Math.round(next() * 1e6) / 100;
    return Array.from({ length: Math.floor(next() * 8) }, () => ' ,"\r\nab'[Math.floor(next() * 8)]).join('');
  }));
}

it('writes what csv-stringify writes for every kind of value an event can carry', () => {
  const columns = ['campaign', 'note, with comma', 'say "x"', 'multi\nline'];
  const rows = hostile.map((value, index) => [`c${index}`, value, index, value]);
  expect(inlineRowsCsv(columns, rows)).toBe(stringify([columns, ...rows]));
});

it('writes what csv-stringify writes for 2,000 generated rows of mixed, ragged and sparse records', () => {
  const rows = generated(2_000);
  // eslint-disable-next-line no-sparse-arrays
  rows.push([, 'after a hole', , 3] as unknown[], []);
  expect(inlineRowsCsv(['a', 'b'], rows)).toBe(stringify([['a', 'b'], ...rows]));
});

it('ends every record with LF and quotes only the fields that need it', () => {
  expect(inlineRowsCsv(['campaign', 'clicks'], [['A', 20], ['B "brand", new', null], ['C\nD', true]]))
    .toBe('campaign,clicks\nA,20\n"B ""brand"", new",\n"C\nD",1\n');
  expect(inlineRowsCsv(['only'], [])).toBe('only\n');
});
