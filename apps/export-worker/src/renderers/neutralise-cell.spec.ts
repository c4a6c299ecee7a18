import { isPlainNumberText, neutraliseCell, neutraliseText, parsePlainNumber } from './neutralise-cell';

describe('neutraliseText', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `'=HYPERLINK("http://evil.example","x")`],
    ['+1+1', `'+1+1`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tTab', `'\tTab`],
    ['\rCR', `'\rCR`],
    ['-5+cmd|\' /C calc\'!A0', `'-5+cmd|' /C calc'!A0`],
    ['＝1+1', `'＝1+1`],
    ['=', `'=`],
  ])('prefixes a formula-looking text %j with a single quote', (input, expected) => {
    expect(neutraliseText(input)).toBe(expected);
  });

  it.each(['-12.5', '-5', '+3', '1e-7', '-.5', '0', 'Campaign = best', 'ホリデー_スポンサー広告', '', "'already quoted"])(
    'leaves %j as it is',
    (input) => {
      expect(neutraliseText(input)).toBe(input);
    },
  );
});

describe('neutraliseCell', () => {
  it('never touches numbers, booleans or nulls: a numeric -5 stays the number -5', () => {
    expect(neutraliseCell(-5)).toBe(-5);
    expect(neutraliseCell(-0.25)).toBe(-0.25);
    expect(neutraliseCell(true)).toBe(true);
    expect(neutraliseCell(null)).toBeNull();
    expect(neutraliseCell('-5+cmd')).toBe("'-5+cmd");
  });
});

describe('parsePlainNumber', () => {
  it.each([
    ['-12.5', -12.5],
    ['42', 42],
    ['0.000123', 0.000123],
    ['0', 0],
    ['1e3', 1000],
    ['123456789012345', 123456789012345],
  ])('reads %j as the number %d', (input, expected) => {
    expect(parsePlainNumber(input)).toBe(expected);
  });

  it.each(['00123', '1234567890123456789', '12abc', '', '-', '1,234', ' 12', 'NaN', 'Infinity'])('keeps %j as text', (input) => {
    expect(parsePlainNumber(input)).toBeUndefined();
  });

  it('agrees with isPlainNumberText on what a plain number is', () => {
    expect(isPlainNumberText('-12.5')).toBe(true);
    expect(isPlainNumberText('-2+3')).toBe(false);
  });
});
