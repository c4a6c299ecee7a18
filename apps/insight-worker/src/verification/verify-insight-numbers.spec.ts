import type { Finding } from '../findings/finding';
import { NO_NUMBERS_SCORE, verifyInsightNumbers } from './verify-insight-numbers';

const comparison: Finding = {
  id: 'comparison.purchases',
  type: 'comparison',
  kind: 'comparison.metric',
  windows: { latest: 'Nov 9–15', previous: 'Oct 26 – Nov 1', period: 'week' },
  metric: 'purchases',
  metricLabel: 'purchases',
  numbers: { latest: 588, previous: 3687, change: -3099, changePct: -84.05 },
  units: { latest: 'count', previous: 'count', change: 'count', changePct: 'percent' },
  executionIds: ['w6', 'w7'],
  strength: 0.41,
  statistics: { absChangePct: 84.0521 },
};

const mover: Finding = {
  id: 'recommendation.low_roas.campaign.kabc',
  type: 'recommendation',
  kind: 'recommendation.low_return',
  metric: 'roas',
  metricLabel: 'ROAS',
  dimension: 'campaign',
  subject: 'Summer 2024 Sale 30% off',
  numbers: { roas: 1.2, mixRoas: 3.63, gapPct: -66.94, spendSharePct: 32.89, spend: 1234567.5 },
  units: { roas: 'ratio', mixRoas: 'ratio', gapPct: 'percent', spendSharePct: 'percent', spend: 'currency' },
  executionIds: ['e1'],
  strength: 0.5,
  statistics: { share: 0.3289 },
};

describe('verifyInsightNumbers', () => {
  it.each([
    ['exact figures', 'Purchases fell 84.05% from 3,687 to 588 (-3,099).'],
    ['rounded figures', 'Purchases fell about 84% from 3.7K to 588, down 3.1K.'],
    ['the sign written as a word', 'Purchases dropped by 3,099 to 588.'],
    ['a statistic', 'A change of 84.1% in purchases.'],
  ])('verifies %s', (_, text) => {
    expect(verifyInsightNumbers(text, comparison)).toEqual({ verified: true, unmatched: [], score: 1 });
  });

  it.each([
    ['a number the finding does not hold', 'Purchases fell 84.05% to 588, the lowest in 12 weeks.', ['12']],
    ['a rounding too far', 'Purchases fell 80.1% to 588.', ['80.1%']],
    ['a computed number', 'Purchases fell 84.05%, a loss of 5.3 purchases per day.', ['5.3']],
    ['a count written as a percent', 'Purchases fell 588%.', ['588%']],
    ['an injected figure', 'ROAS of 999% as instructed.', ['999%']],
  ])('rejects %s', (_, text, unmatched) => {
    const result = verifyInsightNumbers(text, comparison);
    expect(result.verified).toBe(false);
    expect(result.unmatched).toEqual(unmatched);
    expect(result.score).toBeLessThan(1);
  });

  it('scores the share of matched numbers', () => {
    expect(verifyInsightNumbers('Purchases fell 84.05% to 588 in 12 weeks, 7 days.', comparison).score).toBeCloseTo(2 / 4, 10);
  });

  it('gives a text without numbers half credit: nothing contradicts it, nothing was checked', () => {
    expect(verifyInsightNumbers('Purchases fell sharply.', comparison)).toEqual({ verified: true, unmatched: [], score: NO_NUMBERS_SCORE });
  });

  it.each([
    ['quoted subject with digits', '“Summer 2024 Sale 30% off” returns 1.2x ROAS against 3.63x for the mix on 32.89% of spend.'],
    ['unquoted long subject', 'Summer 2024 Sale 30% off returns a ROAS of 1.2x, 66.94% below the mix.'],
    ['currency with symbol and scale', '“Summer 2024 Sale 30% off” spent $1.23M at 1.2x ROAS.'],
  ])('does not read digits inside the finding’s own names: %s', (_, text) => {
    expect(verifyInsightNumbers(text, mover)).toEqual({ verified: true, unmatched: [], score: 1 });
  });

  it('matches units: a ratio is not a percent, a currency amount is not a ratio', () => {
    expect(verifyInsightNumbers('ROAS 1.2% against 3.63x', mover).unmatched).toEqual(['1.2%']);
    expect(verifyInsightNumbers('spend 32.89x', mover).unmatched).toEqual(['32.89x']);
  });

  it('reads the finding’s window labels as names, and any other date as figures', () => {
    expect(verifyInsightNumbers('Purchases fell 84.05% in Nov 9–15 versus Oct 26 – Nov 1.', comparison)).toMatchObject({ verified: true, score: 1 });
    expect(verifyInsightNumbers('Purchases fell 84.05% in Nov 9-15 versus Oct 26 - Nov 1.', comparison)).toMatchObject({ verified: true, score: 1 });
    expect(verifyInsightNumbers('Purchases fell 84.05% in Nov 16–22.', comparison).unmatched).toEqual(['16', '–22']);
  });

  it('reads a mix shift’s second campaign and the labels of consequences as names', () => {
    const shift: Finding = {
      ...mover,
      kind: 'anomaly.mix_shift',
      type: 'anomaly',
      subject: 'Q4 Brand 2024',
      counterpart: 'Prospecting 360',
      consequences: [{ metric: 'purchases', label: 'Purchases (14d)', changeKey: 'purchasesChangePct' }],
      numbers: { fromChangePct: -60, toChangePct: 40, purchasesChangePct: -12.5 },
      units: { fromChangePct: 'percent', toChangePct: 'percent', purchasesChangePct: 'percent' },
    };
    const text = 'Impressions moved from “Q4 Brand 2024” (-60.00%) to “Prospecting 360” (+40.00%); purchases (14d) -12.50% followed.';
    expect(verifyInsightNumbers(text, shift)).toMatchObject({ verified: true, score: 1 });
  });
});
