import type { ValueFormat } from './chart-spec';
import { formatValue, MISSING_VALUE_TEXT } from './format-value';

describe('formatValue', () => {
  const cases: Array<[unknown, ValueFormat, string]> = [
    [1234567, 'integer', '1,234,567'],
    [1234.5, 'integer', '1,235'],
    [-9876.4, 'integer', '-9,876'],
    [0, 'integer', '0'],
    [999, 'integer', '999'],
    [0.1234, 'percent', '12.34%'],
    [0.00254, 'percent', '0.25%'],
    [1.5, 'percent', '150.00%'],
    [12.345678, 'percent', '1,234.57%'],
    [1234.56, 'currency', '$1,234.56'],
    [1234.555, 'currency', '$1,234.56'],
    [1.005, 'currency', '$1.01'],
    [-3.1, 'currency', '-$3.10'],
    [-0.001, 'currency', '$0.00'],
    [1000000, 'currency', '$1,000,000.00'],
    [3.4567, 'ratio', '3.46'],
    [2, 'ratio', '2.00'],
    [1234.5, 'number', '1,234.5'],
    [1234.567, 'number', '1,234.57'],
    [7, 'number', '7'],
    [1e21, 'integer', '1e+21'],
    [1e-9, 'percent', '0.00%'],
    ['0.5', 'percent', '50.00%'],
    [null, 'integer', MISSING_VALUE_TEXT],
    [undefined, 'currency', MISSING_VALUE_TEXT],
    [Number.NaN, 'ratio', MISSING_VALUE_TEXT],
    [Number.POSITIVE_INFINITY, 'ratio', MISSING_VALUE_TEXT],
    ['Brand_Defense_SB', 'integer', 'Brand_Defense_SB'],
  ];

  it.each(cases)('formats %p as %s → %p', (value, format, expected) => {
    expect(formatValue(value, format)).toBe(expected);
  });
});
