import { extractNumbers } from './extract-numbers';

describe('extractNumbers', () => {
  it.each([
    ['5,477,146 impressions', { raw: '5,477,146', value: 5477146, unit: 'plain', tolerance: 0.5 }],
    ['CTR 0.686%', { raw: '0.686%', value: 0.686, unit: 'percent', tolerance: 0.0005 }],
    ['fell 12.5 %', { raw: '12.5 %', value: 12.5, unit: 'percent', tolerance: 0.05 }],
    ['up 3 percent', { raw: '3 percent', value: 3, unit: 'percent', tolerance: 0.5 }],
    ['(-2.26 pp)', { raw: '-2.26 pp', value: 2.26, negative: true, unit: 'points', tolerance: 0.005 }],
    ['4.2 percentage points', { raw: '4.2 percentage points', value: 4.2, unit: 'points' }],
    ['sales of $1.2K', { raw: '$1.2K', value: 1200, unit: 'currency', tolerance: 50 }],
    ['€3,400.50 spent', { raw: '€3,400.50', value: 3400.5, unit: 'currency', tolerance: 0.005 }],
    ['7.16M impressions', { raw: '7.16M', value: 7160000, unit: 'plain', tolerance: 5000 }],
    ['2 million users', { raw: '2 million', value: 2000000, unit: 'plain', tolerance: 500000 }],
    ['1.5bn', { raw: '1.5bn', value: 1500000000, unit: 'plain' }],
    ['ROAS 2.81x', { raw: '2.81x', value: 2.81, unit: 'ratio' }],
    ['ROAS of 3×', { raw: '3×', value: 3, unit: 'ratio' }],
    ['z −5.14', { raw: '−5.14', value: 5.14, negative: true, unit: 'plain' }],
    ['+2,439', { raw: '+2,439', value: 2439, negative: false }],
  ])('reads %p', (text, expected) => {
    const [number, ...rest] = extractNumbers(text);
    expect(rest).toEqual([]);
    expect(number).toMatchObject(expected);
  });

  it.each([
    ['digits inside names: Q4, B2B, STV_Awareness_Q4, R2', 'STV_Awareness_Q4 and B2B in Q4, R2 fit'],
    ['superscripts are not digits', 'R² fit'],
  ])('skips %s', (_, text) => {
    expect(extractNumbers(text)).toEqual([]);
  });

  it('reads every figure of a sentence, including ones glued to punctuation', () => {
    const text = 'Purchases fell 84.05% versus the previous execution, from 3,687 to 588 (-3,099); see 1,2.';
    expect(extractNumbers(text).map((number) => number.raw)).toEqual(['84.05%', '3,687', '588', '-3,099', '1', '2']);
  });

  it('reads dates as numbers, so an LLM cannot slip in a date it was not given', () => {
    expect(extractNumbers('on 2026-10-01').map((number) => number.value)).toEqual([2026, 10, 1]);
  });

  it('does not take a unit letter that starts a word', () => {
    expect(extractNumbers('5 Mbps and 3 xylophones')).toMatchObject([
      { value: 5, unit: 'plain' },
      { value: 3, unit: 'plain' },
    ]);
  });
});
