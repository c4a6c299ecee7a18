import type { ColumnKind } from '@amc-reports/contracts/src/result-profile';
import { isNullCell, readDateCell, readNumberCell } from './cell-values';
import { sniffCellKind, sniffColumnKind, sniffColumnKinds } from './sniff-column-kinds';

describe('sniffCellKind', () => {
  const cases: Array<[unknown, ColumnKind]> = [
    ['724654', 'number'],
    ['690.0', 'number'],
    ['-3.5e2', 'number'],
    ['.25', 'number'],
    [18750.84, 'number'],
    ['0x1F', 'string'],
    ['1,234', 'string'],
    ['Infinity', 'string'],
    ['2026-10-01', 'date'],
    ['2026-10-01T06:15:00Z', 'date'],
    ['2026-10-01 06:15:00', 'date'],
    ['2026-02-30', 'string'],
    ['2026-13-01', 'string'],
    ['true', 'boolean'],
    ['FALSE', 'boolean'],
    [false, 'boolean'],
    ['[[1, "Launch_Sponsored_Display"], [2, "Brand_Defense_SB"]]', 'array'],
    [[[1, 'X']], 'array'],
    ['6-10', 'string'],
    ['21+', 'string'],
    ['DSP + Sponsored Products', 'string'],
    ['ブランド認知', 'string'],
  ];
  it.each(cases)('reads %p as %s', (value, kind) => {
    expect(sniffCellKind(value)).toBe(kind);
  });
});

describe('sniffColumnKind', () => {
  const cases: Array<[string, string, unknown[], ColumnKind]> = [
    ['numbers', 'impressions', ['1', '2', '3'], 'number'],
    ['numbers with NULL cells ignored', 'impressions', ['1', '', 'NULL', 'null', null, '2'], 'number'],
    ['a mix of numbers and ranges', 'frequency_label', ['1', '2', '6-10', '21+'], 'string'],
    ['dates', 'event_date', ['2026-10-01', '2026-10-02'], 'date'],
    ['AMC path arrays', 'path', ['[[1, "A"]]', '[[1, "B"], [2, "A"]]'], 'array'],
    ['booleans', 'is_new', ['true', 'false'], 'boolean'],
    ['numeric identifiers as text', 'campaign_id_string', ['581000000000', '581000000001'], 'string'],
    ['numeric identifiers named *_id', 'campaign_id', [581000000000], 'string'],
    ['numeric frequency buckets', 'frequency_bucket', ['1', '2', '3'], 'string'],
    ['`*_in_bucket` metrics stay numbers', 'users_in_bucket', ['599013'], 'number'],
    ['the filtered flag', 'filtered', ['false', 'true'], 'boolean'],
    ['an all-NULL column (a withheld metric)', 'purchases', ['', 'NULL'], 'number'],
    ['an all-NULL identifier', 'campaign_id', [''], 'string'],
    ['text', 'campaign', ['Holiday_Sponsored_Products', '123'], 'string'],
  ];
  it.each(cases)('decides %s', (_description, name, sample, kind) => {
    expect(sniffColumnKind(name, sample)).toBe(kind);
  });

  it('decides every column of sampled rows', () => {
    const rows = [
      ['2026-10-01', 'A', '10', 'false'],
      ['2026-10-02', 'B', '', 'true'],
    ];
    expect(sniffColumnKinds(['event_date', 'campaign', 'clicks', 'filtered'], rows)).toEqual(['date', 'string', 'number', 'boolean']);
  });
});

describe('cell readers', () => {
  it.each<[unknown, boolean]>([
    ['', true],
    ['NULL', true],
    ['null', true],
    ['  ', true],
    [null, true],
    [undefined, true],
    [Number.NaN, true],
    ['0', false],
    [0, false],
    ['nullable', false],
    [false, false],
  ])('isNullCell(%p) is %p', (value, expected) => {
    expect(isNullCell(value)).toBe(expected);
  });

  it('reads numbers strictly and dates as calendar days', () => {
    expect(readNumberCell(' 42.5 ')).toBe(42.5);
    expect(readNumberCell('4,2')).toBeUndefined();
    expect(readDateCell('2026-10-01T23:30:00-05:00')).toBe('2026-10-01');
    expect(readDateCell('yesterday')).toBeUndefined();
  });
});
