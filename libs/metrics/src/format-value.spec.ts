import { formatMetricValue, formatValue, MISSING_VALUE_TEXT, roundMetricValue, type ValueFormat } from './format-value';

describe('formatValue', () => {
  const cases: Array<[unknown, ValueFormat, string]> = [
    [1234567, 'integer', '1,234,567'],
    [1234.5, 'integer', '1,235'],
    [-9876.4, 'integer', '-9,876'],
    [0, 'integer', '0'],
    [0.1234, 'percent', '12.34%'],
    [0.00254, 'percent', '0.25%'],
    [1.5, 'percent', '150.00%'],
    [12.345678, 'percent', '1,234.57%'],
    // A display CTR: three significant digits, not "0.01%".
    [0.000123, 'percent', '0.0123%'],
    [1e-9, 'percent', '0.00%'],
    [1234.56, 'currency', '$1,234.56'],
    [1.005, 'currency', '$1.01'],
    [-3.1, 'currency', '-$3.10'],
    [-0.001, 'currency', '$0.00'],
    [3.4567, 'ratio', '3.46'],
    [2, 'ratio', '2.00'],
    [1234.5, 'number', '1,234.5'],
    [1234.567, 'number', '1,234.57'],
    [7, 'number', '7'],
    [1e21, 'integer', '1e+21'],
    ['0.5', 'percent', '50.00%'],
    [null, 'integer', MISSING_VALUE_TEXT],
    [undefined, 'currency', MISSING_VALUE_TEXT],
    [Number.NaN, 'ratio', MISSING_VALUE_TEXT],
    ['Brand_Defense_SB', 'integer', 'Brand_Defense_SB'],
  ];
  it.each(cases)('formats %p as %s → %p', (value, format, expected) => {
    expect(formatValue(value, format)).toBe(expected);
  });

  it.each<[string, string]>([
    ['EUR', '€1,500.00'],
    ['GBP', '£1,500.00'],
    ['JPY', '¥1,500'],
    ['SEK', '1,500.00 SEK'],
  ])('writes money in the result\'s currency (%s)', (currency, expected) => {
    expect(formatValue(1500, 'currency', { currency })).toBe(expected);
  });
});

describe('metric units', () => {
  it('formats counts with their fractions (linear attribution credit) and whole counts without', () => {
    expect(formatMetricValue(883.22, 'count')).toBe('883.22');
    expect(formatMetricValue(6959049, 'count')).toBe('6,959,049');
  });

  it('rounds a value the way it is shown, so a quoted number reads back the same', () => {
    expect(roundMetricValue(0.012345, 'percent')).toBe(0.0123);
    expect(roundMetricValue(0.00000123456, 'percent')).toBe(0.00000123);
    expect(roundMetricValue(1666.666666, 'currency')).toBe(1666.67);
    expect(roundMetricValue(1.6666666, 'ratio')).toBe(1.67);
    expect(roundMetricValue(883.2249, 'count')).toBe(883.22);
    for (const [value, unit] of [[0.012345, 'percent'], [1666.666666, 'currency'], [883.2249, 'count']] as const) {
      expect(formatMetricValue(roundMetricValue(value, unit), unit)).toBe(formatMetricValue(value, unit));
    }
  });
});
