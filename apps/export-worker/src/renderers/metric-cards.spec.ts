import { collectMetricCards } from './metric-cards';

it('shows one card per metric of the latest period for period-keyed metric views (performance.cards)', () => {
  const cards = collectMetricCards([{
    key: 'performance.cards', name: 'Key metrics', viewType: 'metric_card', position: 0,
    chart: { kind: 'metric', title: 'Key metrics', x: { field: 'period', type: 'category' }, series: [
      { field: 'impressions', label: 'Impressions', format: 'integer' }, { field: 'ctr', label: 'CTR', format: 'percent' }] },
    data: { rows: [{ period: 'latest', impressions: 12_500, ctr: 0.0125 }, { period: 'previous', impressions: 10_000, ctr: 0.01 }] },
  }]);
  expect(cards.map((card) => [card.label, card.value])).toEqual([['Impressions', '12,500'], ['CTR', '1.25%']]);
});
