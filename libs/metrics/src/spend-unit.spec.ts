import { buildMetricFrame } from './metric-frame';
import { decideSpendUnit } from './spend-unit';

describe('spend unit detection', () => {
  it.each<[string, number, string, number]>([
    // $8.53 CPM: 8,530 spend over 1,000,000 impressions is plausible as dollars.
    ['dollars', 8_530, 'dollars', 1],
    // The same spend in millicents: as dollars the CPM would be $853,000.
    ['millicents', 853_000_000, 'millicents', 100_000],
    // …and in microcents: as millicents the CPM would still be $8,530.
    ['microcents', 853_000_000_000, 'microcents', 100_000_000],
  ])('detects %s from the CPM', (_name, spendTotal, unit, divisor) => {
    const decision = decideSpendUnit({ columns: ['total_cost'], spendTotal, impressionsTotal: 1_000_000, integersOnly: true });
    expect(decision).toMatchObject({ unit, divisor, source: 'detected' });
    expect(decision.reason).toBe(`total_cost read as ${unit} (CPM 8.53)`);
  });

  it('reads an integer-only total_cost without impressions as millicents, AMC\'s unit for it', () => {
    expect(decideSpendUnit({ columns: ['imp_total_cost'], spendTotal: 569_590_087, impressionsTotal: undefined, integersOnly: true }).unit).toBe('millicents');
    expect(decideSpendUnit({ columns: ['total_cost'], spendTotal: 12.5, impressionsTotal: undefined, integersOnly: false }).unit).toBe('dollars');
    expect(decideSpendUnit({ columns: ['spend'], spendTotal: 1200, impressionsTotal: undefined, integersOnly: true }).unit).toBe('dollars');
  });

  it('follows the settings whatever the data says', () => {
    expect(decideSpendUnit({ columns: ['total_cost'], spendTotal: 5, impressionsTotal: 1000, integersOnly: true }, 'microcents')).toEqual({
      columns: ['total_cost'],
      unit: 'microcents',
      divisor: 100_000_000,
      source: 'settings',
      reason: 'total_cost in microcents (report settings)',
    });
  });

  it('is decided once per result, from its totals (a frame carries it)', () => {
    const frame = buildMetricFrame({ metrics: ['impressions', 'spend'], totals: { impressions: 1000, spend: 5_000_000_000 } });
    // $5 CPM: 1,000 impressions cost 500,000,000 µ¢ → 5,000,000,000 µ¢ is $50 = $50 CPM.
    expect(frame.spend?.unit).toBe('microcents');
  });
});
