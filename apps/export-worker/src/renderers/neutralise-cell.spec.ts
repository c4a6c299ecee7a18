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
    // A trigger after blanks or line breaks: spreadsheets skip them before looking.
    ['  =1+1', `'  =1+1`],
    ['\n=HYPERLINK("http://evil.example","x")', `'\n=HYPERLINK("http://evil.example","x")`],
    ['\r\n@SUM(A1)', `'\r\n@SUM(A1)`],
    ['\n\n+1+1', `'\n\n+1+1`],
    [' -2+3', `' -2+3`],
    ['\u00a0=1+1', `'\u00a0=1+1`],
    ['\u3000=1+1', `'\u3000=1+1`],
    ['\u3000＝1+1', `'\u3000＝1+1`],
    ['\u2003\u2009@SUM(A1)', `'\u2003\u2009@SUM(A1)`],
    ['\u200b=1+1', `'\u200b=1+1`],
    ['\ufeff=1+1', `'\ufeff=1+1`],
    ['\u202e=1+1', `'\u202e=1+1`],
    ['\v\f=1+1', `'\v\f=1+1`],
    ['\u2028=1+1', `'\u2028=1+1`],
    ['\t-5+cmd', `'\t-5+cmd`],
  ])('prefixes a formula-looking text %j with a single quote', (input, expected) => {
    expect(neutraliseText(input)).toBe(expected);
  });

  it.each([
    '-12.5', '-5', '+3', '1e-7', '-.5', '0', 'Campaign = best', 'ホリデー_スポンサー広告', '', "'already quoted",
    'multi\nline\r\nname', ' leading space', '\nname on a second line',
    // Plain numbers after blanks: a spreadsheet reads the number (or text), never a formula.
    ' -5', '  +3', '\u00a0-12.5', '-5 ', '\n-5',
  ])(
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

  it('keeps reading a plain number with blanks around it as text: the raw export writes it neutralised, unchanged', () => {
    expect(parsePlainNumber(' -5')).toBeUndefined();
    expect(neutraliseText(' -5')).toBe(' -5');
    // A tab in front of a number stays: the tab rule is for text, a number computes nothing.
    expect(neutraliseText('\t-5')).toBe('\t-5');
  });

  it('agrees with isPlainNumberText on what a plain number is', () => {
    expect(isPlainNumberText('-12.5')).toBe(true);
    expect(isPlainNumberText('-2+3')).toBe(false);
  });
});
