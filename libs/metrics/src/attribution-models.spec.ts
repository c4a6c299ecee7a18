import type { ResultProfile } from '@amc-reports/contracts/src/result-profile';
import { chooseTouchModel, orderTouchModels, scopeProfileToTouchModel } from './attribution-models';
import { buildMetricFrame, metricValue, readSums } from './metric-frame';

/** Two campaigns × two models; each model credits the same 100 conversions differently. */
const cell = (conversions: number, sales: number, cost: number) => ({ conversions, product_sales: sales, total_cost: cost, impressions: 1000 });
const profile: ResultProfile = {
  version: 1,
  rowCount: 4,
  filteredRowCount: 0,
  columns: [],
  metrics: ['impressions', 'conversions', 'product_sales', 'total_cost'],
  dimensions: ['attribution_model', 'campaign'],
  dateColumn: null,
  // Adding the models up: 200 conversions, 4,000 impressions — counted twice.
  totals: { impressions: 4000, conversions: 200, product_sales: 5000, total_cost: 400_000_000 },
  dimensionBreakdowns: {
    attribution_model: [
      { key: 'first_touch', rowCount: 2, filteredRowCount: 0, totals: { impressions: 2000, conversions: 100, product_sales: 2500, total_cost: 200_000_000 } },
      { key: 'last_touch', rowCount: 2, filteredRowCount: 0, totals: { impressions: 2000, conversions: 100, product_sales: 2500, total_cost: 200_000_000 } },
    ],
    campaign: [
      { key: 'A', rowCount: 2, filteredRowCount: 0, totals: { impressions: 2000, conversions: 110, product_sales: 3000, total_cost: 200_000_000 } },
      { key: 'B', rowCount: 2, filteredRowCount: 0, totals: { impressions: 2000, conversions: 90, product_sales: 2000, total_cost: 200_000_000 } },
    ],
  },
  dateSeries: [],
  crossBreakdowns: [
    {
      dimensions: ['attribution_model', 'campaign'],
      buckets: [
        { keys: ['first_touch', 'A'], rowCount: 1, filteredRowCount: 0, totals: cell(70, 2000, 100_000_000) },
        { keys: ['first_touch', 'B'], rowCount: 1, filteredRowCount: 0, totals: cell(30, 500, 100_000_000) },
        { keys: ['last_touch', 'A'], rowCount: 1, filteredRowCount: 0, totals: cell(40, 1000, 100_000_000) },
        { keys: ['last_touch', 'B'], rowCount: 1, filteredRowCount: 0, totals: cell(60, 1500, 100_000_000) },
      ],
    },
  ],
};

describe('attribution per touch model', () => {
  it('chooses the settings\' model, else last touch, else the first in reading order', () => {
    expect(chooseTouchModel(['first_touch', 'last_touch'], 'First Touch')).toEqual({ model: 'first_touch', source: 'settings' });
    expect(chooseTouchModel(['first_touch', 'linear', 'last_touch'])).toEqual({ model: 'last_touch', source: 'default' });
    expect(chooseTouchModel(['linear', 'first_touch'])).toEqual({ model: 'first_touch', source: 'first' });
    expect(chooseTouchModel(['first_touch'], 'data_driven')).toEqual({ model: 'first_touch', source: 'first', missingSetting: 'data_driven' });
    expect(chooseTouchModel([])).toBeNull();
    expect(orderTouchModels(['position_based', '__other__', 'linear', 'custom', 'last_touch'])).toEqual(['last_touch', 'linear', 'position_based', 'custom']);
  });

  it('scopes totals and breakdowns to one model, never adding models together', () => {
    const scoped = scopeProfileToTouchModel(profile, 'attribution_model', 'last_touch');
    expect(scoped.totals).toEqual({ impressions: 2000, conversions: 100, product_sales: 2500, total_cost: 200_000_000 });
    expect(scoped.dimensions).toEqual(['campaign']);
    expect(scoped.dimensionBreakdowns.campaign.map((bucket) => [bucket.key, bucket.totals.conversions])).toEqual([['A', 40], ['B', 60]]);
    expect(scoped.crossBreakdowns).toEqual([]);
    const frame = buildMetricFrame(scoped);
    // 200,000,000 millicents = $2,000; ROAS 2,500 / 2,000 within the model.
    expect(metricValue('roas', readSums(scoped.totals, frame))).toBe(1.25);
    expect(metricValue('purchases', readSums(scoped.totals, frame))).toBe(100);
  });

  it('gives each model its own credit split', () => {
    const first = scopeProfileToTouchModel(profile, 'attribution_model', 'first_touch');
    expect(first.dimensionBreakdowns.campaign.map((bucket) => [bucket.key, bucket.totals.conversions])).toEqual([['A', 70], ['B', 30]]);
  });
});
