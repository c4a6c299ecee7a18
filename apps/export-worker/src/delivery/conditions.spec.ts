import { parseMetricRule } from '@amc-reports/contracts';
import { evaluateConditions } from './conditions';
import type { DeliveryContent } from './delivery-content';

const content: DeliveryContent = {
  report: { id: 'r', name: 'Report', dashboardType: 'performance' },
  execution: { id: 'e', timeWindowStart: new Date('2026-11-01T00:00:00Z'), timeWindowEnd: new Date('2026-11-07T23:59:59Z'), completedAt: null, rowCount: 10 },
  metrics: [
    { key: 'roas', label: 'ROAS', value: 1.62, format: 'ratio', shown: true },
    { key: 'ctr', label: 'CTR', value: 0.0042, format: 'percent', shown: true },
    { key: 'spend', label: 'Spend', value: null, format: 'currency', shown: true },
    { key: 'overallConversionRate', label: 'overallConversionRate', value: 0.02, format: 'percent', shown: false },
  ],
  insights: [
    { type: 'anomaly', text: 'Purchases collapsed.', confidence: 0.81, metric: 'purchases', metricLabel: 'purchases' },
    { type: 'trend', text: 'Clicks rose.', confidence: 0.6, metric: 'clicks', metricLabel: 'clicks' },
  ],
  dashboardUrl: 'http://x/app/#/reports/r',
};
const verdict = (conditions: Parameters<typeof evaluateConditions>[0], lastSent: { fingerprint: string | null; sentAt: Date } | null = null) =>
  evaluateConditions(conditions, { content, fingerprint: 'f1', lastSent });

describe('parseMetricRule', () => {
  it.each([
    ['ROAS < 2', { kind: 'threshold', metric: 'ROAS', operator: '<', value: 2, percent: false }],
    ['CTR >= 0.5%', { kind: 'threshold', metric: 'CTR', operator: '>=', value: 0.5, percent: true }],
    ['overall conversion rate <= -1.25', { kind: 'threshold', metric: 'overall conversion rate', operator: '<=', value: -1.25, percent: false }],
    ['purchases anomaly', { kind: 'anomaly', metric: 'purchases' }],
    ['Add to cart ANOMALY', { kind: 'anomaly', metric: 'Add to cart' }],
  ])('reads %s', (expression, rule) => {
    expect(parseMetricRule(expression)).toEqual({ ok: true, rule });
  });

  it.each(['ROAS', 'ROAS is low', '< 2', 'ROAS < two', 'ROAS == 2', '1ROAS < 2'])('refuses %s', (expression) => {
    expect(parseMetricRule(expression).ok).toBe(false);
  });
});

describe('evaluateConditions', () => {
  it('sends with no conditions, and with every condition holding (the alerts say what crossed)', () => {
    expect(verdict([])).toEqual({ send: true, alerts: [] });
    expect(verdict([{ type: 'metric', expression: 'ROAS < 2' }, { type: 'metric', expression: 'CTR < 0.5%' }])).toEqual({
      send: true, alerts: ['ROAS is 1.62 (< 2)', 'CTR is 0.42% (< 0.5%)'],
    });
  });

  it('skips with the first condition that does not hold', () => {
    expect(verdict([{ type: 'metric', expression: 'ROAS < 2' }, { type: 'metric', expression: 'roas > 2' }])).toEqual({
      send: false, skippedBy: 'metric', reason: '"roas > 2" does not hold: ROAS is 1.62',
    });
  });

  it('names what the dashboard shows when a metric is unknown, and refuses to compare a withheld value', () => {
    expect(verdict([{ type: 'metric', expression: 'CPC > 1' }])).toMatchObject({ send: false, reason: '"CPC > 1": the dashboard shows no metric "CPC" (it shows ROAS, CTR, Spend)' });
    expect(verdict([{ type: 'metric', expression: 'Spend > 0' }])).toMatchObject({ send: false, reason: '"Spend > 0": Spend has no value in this execution (withheld or not computable)' });
  });

  it('reads summary figures by their key, ignoring case and separators', () => {
    expect(verdict([{ type: 'metric', expression: 'overall_conversion_rate >= 2%' }])).toMatchObject({ send: true });
  });

  it('finds anomalies by the finding\'s metric', () => {
    expect(verdict([{ type: 'metric', expression: 'Purchases anomaly' }])).toEqual({ send: true, alerts: ['Purchases anomaly: Purchases collapsed.'] });
    expect(verdict([{ type: 'metric', expression: 'clicks anomaly' }])).toMatchObject({ send: false, skippedBy: 'metric' });
  });

  it('holds an insight condition at the confidence, optionally by type', () => {
    expect(verdict([{ type: 'insight', minConfidence: 0.81 }])).toEqual({ send: true, alerts: ['Anomaly insight (confidence 0.81): Purchases collapsed.'] });
    expect(verdict([{ type: 'insight', minConfidence: 0.7, insightTypes: ['trend'] }])).toEqual({
      send: false, skippedBy: 'insight', reason: 'no trend insight with confidence ≥ 0.70: the most confident is 0.60',
    });
    expect(verdict([{ type: 'insight', minConfidence: 0.1, insightTypes: ['recommendation'] }])).toMatchObject({ reason: 'no recommendation insight with confidence ≥ 0.10: the execution has no recommendation insight' });
  });

  it('skips "changed" only when the last sent delivery said the same', () => {
    const sentAt = new Date('2026-11-08T08:00:00Z');
    expect(verdict([{ type: 'changed' }], null)).toMatchObject({ send: true });
    expect(verdict([{ type: 'changed' }], { fingerprint: 'f0', sentAt })).toMatchObject({ send: true });
    expect(verdict([{ type: 'changed' }], { fingerprint: 'f1', sentAt })).toEqual({
      send: false, skippedBy: 'changed', reason: 'nothing changed since the delivery sent at 2026-11-08T08:00:00.000Z',
    });
  });
});
