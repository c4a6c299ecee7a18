import { formatAmount, formatSigned, formatStatistic } from './number-format';

describe('number formatting', () => {
  it.each([
    [5477146, 'count', '5,477,146'],
    [0.55, 'count', '0.55'],
    [99717.57, 'currency', '$99,717.57'],
    [138437, 'currency', '$138,437.00'],
    [0.686, 'percent', '0.69%'],
    [0.0123, 'percent', '0.0123%'],
    [-84.05, 'percent', '84.05%'],
    [-2.26, 'points', '2.26 pp'],
    [2.81, 'ratio', '2.81'],
  ] as const)('formats %p as %s the way the dashboard does: %s', (value, unit, text) => {
    expect(formatAmount(value, unit)).toBe(text);
  });

  it('writes money in the report\'s currency', () => {
    expect(formatAmount(1500, 'currency', 'EUR')).toBe('€1,500.00');
  });

  it.each([
    [2439, 'count', '+2,439'],
    [-84.05, 'percent', '-84.05%'],
    [0, 'count', '0'],
  ] as const)('formats %p as %s with its sign: %s', (value, unit, text) => {
    expect(formatSigned(value, unit)).toBe(text);
  });

  it('formats statistics with two decimals', () => {
    expect(formatStatistic(-5.1437)).toBe('-5.14');
    expect(formatStatistic(0.2321)).toBe('0.23');
  });
});
